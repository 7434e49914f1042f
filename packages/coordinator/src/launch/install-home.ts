/**
 * An installed faultline (the Docker image): `$FAULTLINE_HOME` names a folder with the lab's
 * processes already bundled (`faultline-node.cjs`, `faultline-proxy.mjs`, `faultline-agent.cjs`),
 * so nothing is built when a lab starts. Unset (a clone of the repository): they are bundled from
 * the workspace's sources, once per process (`bundle-entry.ts`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const HOME_ENV = 'FAULTLINE_HOME';

/** The prebuilt `file` of an installed faultline, or undefined (none installed, or not there). */
export function installed(file: string): string | undefined {
  const home = process.env[HOME_ENV];
  if (home === undefined || home === '') return undefined;
  const path = join(home, file);
  return existsSync(path) ? path : undefined;
}
