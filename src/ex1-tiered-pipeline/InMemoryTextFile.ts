import { ClosedFileError } from "./errors";

/**
 * Holds text in memory like Python's `io.StringIO`: the simulated log file tier.
 *
 * Unlike `StringIO.getvalue()`, `getValue()` still works after `close()`, so a notebook can show
 * what was logged once the pipeline has shut down.
 * @example
 * const file = new InMemoryTextFile();
 * file.write("opened\n");
 * file.getValue(); // "opened\n"
 */
export class InMemoryTextFile {
  private text = "";
  private isClosed = false;

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Appends text and returns the number of characters written.
   * @throws ClosedFileError after `close()`
   */
  write(text: string): number {
    if (this.isClosed) throw new ClosedFileError("write: I/O operation on closed file");
    this.text += text;
    return text.length;
  }

  /** Returns everything written so far. */
  getValue(): string {
    return this.text;
  }

  /** Closes the file; closing twice is allowed. */
  close(): void {
    this.isClosed = true;
  }
}
