// `@faultline/protocol/errors`: the error class and its codes, with no schema library (the clock
// package, which has no other dependency, imports this alone).
export { ERROR_CODES, exitCodeOf, httpStatusOf, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './error-codes.js';
export { asFaultlineError, FaultlineError, type FaultlineErrorOptions } from './faultline-error.js';
