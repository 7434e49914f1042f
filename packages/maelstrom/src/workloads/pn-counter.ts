/** pn-counter: a counter that also goes down (deltas −5 … 4); see counter-workload.ts. */
import { counterWorkload } from './counter-workload.js';

export const pnCounterWorkload = counterWorkload('pn-counter');
