/** What the dashboard page exposes as `window.faultline` (packages/dashboard/src/main.ts), for tests and benchmarks. */
import type { DiagramView } from '../../packages/dashboard/src/view/diagram-view.js';
import type { TraceModel } from '../../packages/dashboard/src/model/trace-model.js';

declare global {
  interface Window {
    faultline: {
      ready: Promise<void>;
      model: () => TraceModel;
      view: () => DiagramView;
      stats: { received: number; applied: number; lastLagMs: number; maxLagMs: number };
      shiviz: () => string;
      svg: () => string;
    };
  }
}
