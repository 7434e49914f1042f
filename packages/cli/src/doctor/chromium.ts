/**
 * Check 4, Chromium: the dashboard's browser tests (npm test) and `npm run bench` drive Chromium
 * at $FAULTLINE_CHROMIUM, or /usr/bin/chromium (tests/support/chromium.ts). The lab itself does
 * not need it, so its absence is a warning, never a failure.
 */
import { finding, type Finding } from './finding.js';

/** The tests' default (tests/support/chromium.ts; a test keeps the two the same). */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const MAC_CHROME = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';

/** Where else a Chromium or Chrome often is, by platform: the shell reports those that exist. */
export const CHROMIUM_CANDIDATES: Readonly<Partial<Record<NodeJS.Platform, readonly string[]>>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'],
  darwin: [MAC_CHROME, '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

export interface ChromiumFacts {
  platform: NodeJS.Platform;
  /** $FAULTLINE_CHROMIUM ?? /usr/bin/chromium, as the tests read it. */
  path: string;
  /** Whether $FAULTLINE_CHROMIUM set it. */
  fromEnv: boolean;
  exists: boolean;
  executable: boolean;
  /** Other candidates (CHROMIUM_CANDIDATES) that exist here. */
  found: readonly string[];
}

/** Inside double quotes, these keep their meaning unless escaped. */
const escape = (text: string): string => text.replace(/(["$`\\])/g, '\\$1');
const quote = (path: string): string => (/[\s"'$`\\]/.test(path) ? `"${escape(path)}"` : path);

/** Command lines set it for a POSIX shell: one line, or two (the folder in $d) when one would pass 67 characters. */
export function exportLines(path: string): string[] {
  const one = `  export FAULTLINE_CHROMIUM=${quote(path)}`;
  const slash = path.lastIndexOf('/');
  if (one.length <= 67 || slash <= 0) return [one];
  return [`  d=${quote(path.slice(0, slash))}`, `  export FAULTLINE_CHROMIUM="$d${escape(path.slice(slash))}"`];
}

export function checkChromium(facts: ChromiumFacts): Finding {
  const where = facts.fromEnv ? `FAULTLINE_CHROMIUM=${facts.path}` : facts.path;
  if (facts.exists && facts.executable) return finding('chromium', 'ok', `${where}`);
  const fix = ["only the dashboard's browser tests and npm run bench need it"];
  const found = facts.found.filter((p) => p !== facts.path);
  if (facts.platform === 'win32') {
    if (found.length > 0) fix.push('set FAULTLINE_CHROMIUM to the one found here:', `  ${found[0]}`);
    else fix.push("install Google Chrome, then set FAULTLINE_CHROMIUM to its chrome.exe");
  } else {
    const lines = exportLines(found[0] ?? (facts.platform === 'darwin' ? MAC_CHROME : '/usr/bin/google-chrome'));
    if (found.length > 0) fix.push('use the one found here:', ...lines);
    else if (facts.platform === 'darwin') fix.push('install Google Chrome, then:', ...lines);
    else fix.push('Debian: sudo apt-get install chromium', "Ubuntu (its chromium is a snap): install Google Chrome's .deb, then", ...lines);
    fix.push(`(to keep it, add ${lines.length === 1 ? 'that line' : 'those lines'} to ~/.zshrc or ~/.bashrc)`);
  }
  const detail = facts.exists ? `${where} is not executable` : facts.fromEnv ? `${where}: no such file` : `no Chromium at ${facts.path}`;
  return finding('chromium', 'warn', detail, fix);
}
