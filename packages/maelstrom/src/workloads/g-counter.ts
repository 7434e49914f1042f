/** g-counter: a grow-only counter (deltas 0 … 4); see counter-workload.ts. */
import { counterWorkload } from './counter-workload.js';

export const gCounterWorkload = counterWorkload('g-counter');
