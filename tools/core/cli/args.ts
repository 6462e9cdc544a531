/**
 * Command lines for every tool, through `node:util` `parseArgs`: one error type whose message says what was expected
 * (the usage) and what came.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Thrown for a command line the tool cannot take; the CLI prints it and exits 2. */
export class UsageError extends RangeError {
  override name = "UsageError";
}

/**
 * Parses `argv` strictly against `options`, positionals allowed when `positionals` is set.
 * @param usage - what the command expects, e.g. `[N …] [--out FILE]`; every error message starts with it
 * @throws UsageError saying what was expected and what came
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string, positionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, "") : String(error);
    throw new UsageError(`expected ${usage}; got ${JSON.stringify(argv.join(" "))}: ${why}`, { cause: error });
  }
}

/** A positive integer option's value, or undefined when it was not given. @throws UsageError naming the option */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Exercise numbers from positionals. @throws UsageError for anything that is not a whole number */
export function exerciseNumbers(positionals: string[]): number[] {
  return positionals.map((arg) => {
    if (!/^\d+$/.test(arg)) throw new UsageError(`expected exercise numbers (like 2), got ${JSON.stringify(arg)}`);
    return Number(arg);
  });
}
