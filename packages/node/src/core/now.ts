/**
 * The two readings of time the core is fed at every step (it never reads a clock itself):
 * - `monoMs`: monotonic time (the shell passes `performance.now()`); every timeout, retry and
 *   interval is measured on it;
 * - `trueMs`: the machine's true time (`Date.now()`), which only goes into the node's skewed
 *   clock and into the `trueMs` of the trace stamps (the lab's god's-eye view).
 */
export interface Now {
  readonly monoMs: number;
  readonly trueMs: number;
}
