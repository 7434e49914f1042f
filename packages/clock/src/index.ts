export {
  SkewedClock,
  MAX_DRIFT_PPM,
  MIN_DRIFT_PPM_EXCLUSIVE,
  type SkewParams,
  type SkewState,
} from './skewed-clock.js';
export { compareNodeIds } from './node-order.js';
export { LamportClock } from './lamport-clock.js';
export {
  VectorClock,
  compare,
  concurrent,
  entry,
  happenedBefore,
  merge,
  normalize,
  tick,
  type VectorOrder,
  type VectorTimestamp,
} from './vector-clock.js';
export { HybridClock, compareHlc, type HlcTimestamp } from './hybrid-clock.js';
