/**
 * The dashboard from Node.js (`@faultline/dashboard`): builds the page with vite when its sources
 * are newer than the last build, and answers the folder to serve. One build at a time per process.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(DASHBOARD_ROOT, 'dist');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function upToDate(): boolean {
  const built = join(DIST, 'index.html');
  if (!existsSync(built)) return false;
  const sources = Math.max(newest(join(DASHBOARD_ROOT, 'src')), statSync(join(DASHBOARD_ROOT, 'index.html')).mtimeMs);
  return statSync(built).mtimeMs >= sources;
}

let building: Promise<string> | undefined;

/** The folder of the built page (`packages/dashboard/dist`), built first if needed. */
export function dashboardDir(): Promise<string> {
  building ??= (async () => {
    if (!upToDate()) {
      const { build } = await import('vite');
      await build({ configFile: join(DASHBOARD_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    return DIST;
  })();
  building.catch(() => (building = undefined));
  return building;
}

// The page's pure model, for Node.js tools and tests (the same code the page runs).
export { TraceModel } from '../model/trace-model.js';
export { causalSets, isNodeEvent, type CausalSets } from '../model/causality.js';
export { checkShiviz, toShiviz, SHIVIZ_REGEX } from '../model/shiviz.js';
export { layoutDiagram, hitTest, type Layout, type Viewport } from '../model/layout.js';
export { layoutToSvg } from '../model/svg.js';
