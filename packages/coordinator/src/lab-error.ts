/**
 * The lab's errors are faultline's one error class (packages/protocol/src/errors): `LabError` is
 * its name here until every caller imports `FaultlineError` itself.
 */
export { asFaultlineError as asLabError, FaultlineError as LabError, type ErrorCode as LabErrorCode } from '@faultline/protocol';
