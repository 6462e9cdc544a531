import { defaultLog, type Logger } from "../shared/Logger";
import { NotImplementedError } from "../shared/NotImplementedError";
import { DEMOS, type DemoEntry } from "./demos";

const USAGE = "usage: npm start [-- [1|2|3|4 ...] [--seed N]]";

/** What `npm start -- --help` prints. */
export const HELP = [
  USAGE,
  "",
  "Runs the exercises' main blocks (all four, or the numbers given), as `python exN.py` would.",
  "  1 2 3 4     which exercises to run (default: all)",
  "  --seed N    fixes the randomness, so a run can be repeated",
  "  --help, -h  prints this",
  "Examples: npm start -- 3    npm start -- 1 4 --seed 7",
].join("\n");

/** The parsed command line of `npm start`. */
export interface StartArgs {
  exercises: number[];
  seed?: number;
}

/**
 * Parses `npm start` arguments: exercise numbers and `--seed N`.
 * @throws Error with the usage line on anything else
 */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  const exercises: number[] = [];
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--seed") {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got ${String(argv[i])}\n${USAGE}`);
    } else if (/^[1-4]$/.test(arg)) {
      exercises.push(Number(arg));
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}: expected an exercise number 1-4 or --seed N\n${USAGE}`);
    }
  }
  return { exercises: exercises.length > 0 ? exercises : DEMOS.map((d) => d.exercise), seed };
}

/**
 * Runs the chosen exercises' main blocks in turn: a stub is reported as not written yet, a failure (also one while an
 * exercise's files load) with its stack, and the next exercise runs either way.
 * @param args - the parsed command line
 * @param log - where the demos' output goes
 * @param demos - the main blocks to choose from
 * @returns how many demos failed with an unexpected error
 */
export async function start(args: StartArgs, log: Logger = defaultLog, demos: readonly DemoEntry[] = DEMOS): Promise<number> {
  let failures = 0;
  for (const demo of demos.filter((d) => args.exercises.includes(d.exercise))) {
    log(`\n=== Exercise ${demo.exercise}: ${demo.title} ===`);
    try {
      await demo.load()({ seed: args.seed, log });
    } catch (error) {
      if (error instanceof NotImplementedError) {
        log(`⏳ ${error.message}`);
      } else {
        failures++;
        log(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }
  return failures;
}

if (require.main === module) {
  if (process.argv.slice(2).some((a) => a === "--help" || a === "-h")) {
    console.log(HELP);
    process.exit(0);
  }
  try {
    const args = parseStartArgs(process.argv.slice(2));
    start(args).then((failures) => {
      process.exitCode = failures > 0 ? 1 : 0;
    });
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
