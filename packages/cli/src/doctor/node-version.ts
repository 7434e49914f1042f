/**
 * Check 1, Node.js: the version running faultline against the project's `engines.node` (fail
 * outside it), then against the ranges of the tools a student runs (warn: the root range is
 * looser than theirs, e.g. Node 22.5 satisfies `>=20.19` but vite, which builds the dashboard and
 * runs the tests, needs `^20.19.0 || >=22.12.0`).
 */
import { finding, type Finding } from './finding.js';
import { formatVersion, parseVersion, satisfies } from './semver.js';

/** What the root package.json says when it cannot be read (keep in step with it). */
export const DEFAULT_ENGINES = '>=20.19';

export interface NodeFacts {
  /** `process.version`: v20.19.1. */
  version: string;
  /** The root package.json's `engines.node`; undefined when it could not be read. */
  engines?: string;
  /** Tools in node_modules with their own `engines.node`, and what a student uses them for. */
  tools: readonly { name: string; range: string; usedFor: string }[];
}

const INSTALL = ['install Node.js 22 LTS (or 20.19+), e.g. with nvm:', '  nvm install 22 && nvm use 22', 'or from nodejs.org; then, in a new terminal: npm install'];

export function checkNode(facts: NodeFacts): Finding {
  const engines = facts.engines ?? DEFAULT_ENGINES;
  const version = parseVersion(facts.version);
  if (!version) return finding('node', 'warn', `cannot read the version "${facts.version}"`, [`faultline needs Node.js ${engines}: check \`node --version\``]);
  const shown = formatVersion(version);
  const fits = satisfies(version, engines);
  if (fits === undefined) return finding('node', 'warn', `${shown}; cannot read engines "${engines}"`, [`faultline needs Node.js ${DEFAULT_ENGINES} (package.json says "${engines}")`]);
  if (!fits) return finding('node', 'fail', `${shown}, but faultline needs ${engines}`, INSTALL);
  const misfits = facts.tools.filter((t) => satisfies(version, t.range) === false);
  if (misfits.length > 0) {
    return finding(
      'node',
      'warn',
      `${shown} fits ${engines}, not ${misfits.map((t) => t.name).join(', ')}`,
      [...misfits.map((t) => `${t.name} needs Node.js ${t.range} (${t.usedFor})`), ...INSTALL],
    );
  }
  return finding('node', 'ok', `${shown} (faultline needs ${engines})`);
}
