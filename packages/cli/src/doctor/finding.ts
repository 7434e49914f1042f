/** What `faultline doctor` answers: one finding a check, and the report over all of them. */
export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  /** The check's name, stable for scripts: node, open-files, loopback, port, chromium, docker, platform. */
  name: string;
  status: Status;
  /** One short line: what was found. */
  detail: string;
  /** For a warn or fail: what to do, one instruction a line (the lines joined by "\n"). */
  fix?: string;
}

export interface Report {
  /** True when no check failed (warnings allowed). */
  ok: boolean;
  checks: Finding[];
}

export function finding(name: string, status: Status, detail: string, fix?: readonly string[]): Finding {
  return fix && fix.length > 0 && status !== 'ok' ? { name, status, detail, fix: fix.join('\n') } : { name, status, detail };
}

export function report(checks: Finding[]): Report {
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
