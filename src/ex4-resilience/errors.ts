// TODO(R4.3): make PipelineError the base class of IORetryExhausted and CircuitOpenError, and give each of the
// three its own `name`, so `catch (e) { if (e instanceof PipelineError) … }` catches both and messages say which.
// BEGIN SOLUTION R4.3
/** The base of every pipeline failure in Exercise 4. */
export class PipelineError extends Error {
  override name = "PipelineError";
}

/** Every attempt of a retried call failed; `cause` is the last error. */
export class IORetryExhausted extends PipelineError {
  override name = "IORetryExhausted";

  /**
   * @param message - what was retried and how often
   * @param attempts - how many attempts were made
   * @param options - `cause`: the last attempt's error
   */
  constructor(message: string, readonly attempts: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The circuit breaker is open: the call was refused without running. */
export class CircuitOpenError extends PipelineError {
  override name = "CircuitOpenError";
}
// END SOLUTION
// BEGIN STUB
// import { notWritten } from "../shared/NotImplementedError";
//
// /** The base of every pipeline failure in Exercise 4. */
// export class PipelineError extends Error {
//   static {
//     // Until you write R4.3, its failing tests and checks show ⏳. Delete this block when you write it.
//     notWritten("R4.3", "PipelineError, IORetryExhausted and CircuitOpenError");
//   }
// }
//
// /** Every attempt of a retried call failed; `cause` is the last error. */
// export class IORetryExhausted extends Error {
//   /**
//    * @param message - what was retried and how often
//    * @param attempts - how many attempts were made
//    * @param options - `cause`: the last attempt's error
//    */
//   constructor(message: string, readonly attempts: number, options?: ErrorOptions) {
//     super(message, options);
//   }
// }
//
// /** The circuit breaker is open: the call was refused without running. */
// export class CircuitOpenError extends Error {}
// END STUB

/** The TypeScript counterpart of Python's `IOError` (`OSError`): a read or write failed. */
export class IOError extends Error {
  override name = "IOError";
}
