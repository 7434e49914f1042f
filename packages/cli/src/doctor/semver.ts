/**
 * Versions and the ranges package.json's `engines` writes (`>=20.19`, `^20.19.0 || >=22.12.0`,
 * `>=18 <21`): the part of semver that engines ranges use. A partial version stands for all it
 * covers, as in semver: `>20` is `>=21.0.0`, `<=20.19` is `<20.20.0`, `20` is `20.x.x`.
 */
export type Version = readonly [major: number, minor: number, patch: number];

/** `v20.19.1`, `20.19`, `22`: its numbers (a pre-release or build suffix is ignored), or undefined. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function formatVersion(v: Version): string {
  return `v${v.join('.')}`;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator (`>=20.19`, `^22.12.0`, `~20.19`, `20`), or undefined when it is not one this reads. */
function comparator(v: Version, part: string): boolean | undefined {
  if (part === '*' || part === 'x' || part === 'X') return true;
  const m = /^(\^|~|>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
  if (!m) return undefined;
  const op = m[1] ?? '=';
  const written = m[3] === undefined ? 1 : m[4] === undefined ? 2 : 3;
  const low: Version = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  // The first version past everything the written parts cover.
  const past: Version = written === 1 ? [low[0] + 1, 0, 0] : written === 2 ? [low[0], low[1] + 1, 0] : [low[0], low[1], low[2] + 1];
  const caret: Version = low[0] > 0 || written === 1 ? [low[0] + 1, 0, 0] : low[1] > 0 || written === 2 ? [0, low[1] + 1, 0] : [0, 0, low[2] + 1];
  const tilde: Version = written === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0];
  switch (op) {
    case '>=':
      return compare(v, low) >= 0;
    case '>':
      return compare(v, past) >= 0;
    case '<':
      return compare(v, low) < 0;
    case '<=':
      return compare(v, past) < 0;
    case '^':
      return compare(v, low) >= 0 && compare(v, caret) < 0;
    case '~':
      return compare(v, low) >= 0 && compare(v, tilde) < 0;
    default:
      return compare(v, low) >= 0 && compare(v, past) < 0;
  }
}

/**
 * Does `version` satisfy `range`? Alternatives joined by `||`, each a list of comparators that must
 * all hold. Undefined when no alternative it reads holds and one has syntax it does not read.
 */
export function satisfies(version: Version, range: string): boolean | undefined {
  let unreadable = false;
  for (const alternative of range.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split('||')) {
    const parts = alternative.trim().split(/\s+/).filter((p) => p !== '');
    if (parts.length === 0) return true;
    const results = parts.map((p) => comparator(version, p));
    // A part this does not read (a hyphen range) may change what the others mean: the whole alternative is unread.
    if (results.some((r) => r === undefined)) unreadable = true;
    else if (results.every((r) => r === true)) return true;
  }
  return unreadable ? undefined : false;
}
