/** A sink for one line of output; tests pass their own to capture what is printed. */
export type Logger = (line: string) => void;

/**
 * Prints a line with `console.log`, looked up at call time so a later `console.log` replacement is honoured.
 * @param line - the text to print
 */
export const defaultLog: Logger = (line) => console.log(line);
