/**
 * The dashboard from Node.js (`@faultline/dashboard`): the folder of the built page, built with
 * vite the first time its sources are seen. Builds are keyed by a hash of the sources
 * (`dist/<hash>/`), written to a temporary folder and renamed into place, so processes that start
 * labs at the same time (tests in parallel) never see a half-written page or delete one in use.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(DASHBOARD_ROOT, 'dist');
/**
 * A build of other sources is removed once it is this old. A lab reads its page's files on every
 * request, so a build must outlive any lab that serves it: a week is far beyond a class.
 */
const STALE_MS = 7 * 24 * 60 * 60 * 1000;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A hash of everything the page is built from. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [join(DASHBOARD_ROOT, 'index.html'), join(DASHBOARD_ROOT, 'vite.config.ts'), ...files(join(DASHBOARD_ROOT, 'src'))].sort();
  // The page bundles the protocol, clock and checkers sources too.
  for (const pkg of ['protocol', 'clock', 'checkers']) inputs.push(...files(join(DASHBOARD_ROOT, '..', pkg, 'src')).sort());
  for (const file of inputs) hash.update(relative(DASHBOARD_ROOT, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

let building: Promise<string> | undefined;

/**
 * The folder of the built page, built first if these sources have not been built yet. An installed
 * faultline (the Docker image) has it built already: `$FAULTLINE_HOME/dashboard`.
 */
export function dashboardDir(): Promise<string> {
  const home = process.env.FAULTLINE_HOME;
  if (home && existsSync(join(home, 'dashboard', 'index.html'))) return Promise.resolve(join(home, 'dashboard'));
  building ??= (async () => {
    const hash = sourceHash();
    const dir = join(DIST, hash);
    if (existsSync(join(dir, 'index.html'))) return dir;
    mkdirSync(DIST, { recursive: true });
    const tmp = join(DIST, `.${hash}-${process.pid}-${Date.now()}`);
    const { build } = await import('vite');
    await build({ configFile: join(DASHBOARD_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process built the same sources first: use theirs.
      rmSync(tmp, { recursive: true, force: true });
    }
    for (const old of readdirSync(DIST)) {
      const path = join(DIST, old);
      try {
        if (old !== hash && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
      } catch {
        // Another process removed it first.
      }
    }
    return dir;
  })();
  building.catch(() => (building = undefined));
  return building;
}

// The page's pure model, for Node.js tools and tests (the same code the page runs).
export { TraceModel } from '../model/trace-model.js';
export { causalSets, type CausalSets } from '../model/causality.js';
export { checkShiviz, toShiviz, SHIVIZ_REGEX } from '../model/shiviz.js';
export { layoutDiagram, hitTest, type Hit, type Layout, type Viewport } from '../model/layout.js';
export { layoutToSvg } from '../model/svg.js';
export { eventClockRows, type ClockRow } from '../model/event-clocks.js';
export { registerDecisionView, originFinder, type DecisionView } from '../model/register-decision.js';
export { syncCharts, type SyncChart } from '../model/sync-chart.js';
export { sweepChart, type SweepChart, type SweepView } from '../model/sweep-chart.js';
export { FailureLines, type FailureFacts } from '../model/failure-facts.js';
export { layoutFailure, type FailureLayout } from '../model/failure-layout.js';
export { failureSvg } from '../model/failure-svg.js';
export { historyOps, opLabel, type OpView } from '../model/history-ops.js';
