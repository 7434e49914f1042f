/**
 * Toxiproxy's API errors, as faultline's one error class with the proxy's codes: serialized as
 * `{"error": message, "status": code}` (respond.ts), the status being the code's HTTP status in
 * protocol's registry of codes, so the answers stay byte-identical to Toxiproxy's.
 */
import { FaultlineError, httpStatusOf } from '@faultline/protocol';

/** Go's joinError: `wrapper.Message + ": " + err`. */
export function joinError(wrapper: FaultlineError, detail: string): FaultlineError {
  return new FaultlineError(wrapper.code, `${wrapper.message}: ${detail}`);
}

/** The status an error is answered with (a code of the proxy's; anything else is a 500). */
export function apiStatus(err: FaultlineError): number {
  return httpStatusOf(err.code);
}

export const ErrBadRequestBody = new FaultlineError('proxy-bad-request', 'bad request body');
export const ErrMissingField = new FaultlineError('proxy-bad-request', 'missing required field');
export const ErrProxyNotFound = new FaultlineError('proxy-not-found', 'proxy not found');
export const ErrProxyAlreadyExists = new FaultlineError('proxy-exists', 'proxy already exists');
export const ErrInvalidStream = new FaultlineError('proxy-bad-request', 'stream was invalid, can be either upstream or downstream');
export const ErrInvalidToxicType = new FaultlineError('proxy-bad-request', 'invalid toxic type');
export const ErrToxicAlreadyExists = new FaultlineError('proxy-exists', 'toxic already exists');
export const ErrToxicNotFound = new FaultlineError('proxy-not-found', 'toxic not found');

/** faultline extension: Toxiproxy has no body limit; faultline refuses bodies over this size. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const ErrBodyTooLarge = new FaultlineError('proxy-too-large', `request body too large: the limit is ${MAX_BODY_BYTES} bytes`);
