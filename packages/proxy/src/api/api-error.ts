/** Toxiproxy's ApiError: serialized as `{"error": message, "status": code}`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** Go's joinError: `wrapper.Message + ": " + err`. */
  join(detail: string): ApiError {
    return new ApiError(`${this.message}: ${detail}`, this.status);
  }
}

export const ErrBadRequestBody = new ApiError('bad request body', 400);
export const ErrMissingField = new ApiError('missing required field', 400);
export const ErrProxyNotFound = new ApiError('proxy not found', 404);
export const ErrProxyAlreadyExists = new ApiError('proxy already exists', 409);
export const ErrInvalidStream = new ApiError('stream was invalid, can be either upstream or downstream', 400);
export const ErrInvalidToxicType = new ApiError('invalid toxic type', 400);
export const ErrToxicAlreadyExists = new ApiError('toxic already exists', 409);
export const ErrToxicNotFound = new ApiError('toxic not found', 404);

/** faultline extension: Toxiproxy has no body limit; faultline refuses bodies over this size. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const ErrBodyTooLarge = new ApiError(`request body too large: the limit is ${MAX_BODY_BYTES} bytes`, 413);
