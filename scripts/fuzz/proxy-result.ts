/** What a proxy fuzz run found, and how a crash of the proxy process is recognised. */
import type { ProxyProcess } from '@faultline/coordinator';
import type { ControlReport } from './proxy-control.js';

export interface ProxyFuzzResult {
  target: 'proxy-api' | 'proxied-ws';
  seed: string;
  cases: number;
  crashes: number;
  hangs: number;
  nonOneLineErrors: number;
  /** Error answers neither `{"error","status"}` JSON nor one of Toxiproxy's fixed one-liners. */
  unclearErrors: number;
  /** JavaScript's own messages (TypeError…) in answers: bugs that reached the client. */
  bugs: number;
  otherLinkAffected: boolean;
  control: ControlReport;
  /** How cases ended: `200`, `403`, `closed`, … */
  outcomes: Record<string, number>;
  /** For the report: the distinct 500 messages (digits as N), and which cases closed without an answer. */
  details?: { internalErrors: string[]; closedWithoutAnswer: Record<string, number> };
  durationMs: number;
  /** The first failures, one line each, with the case number to replay. */
  failures: string[];
}

/** Process-level failures: the proxy died, or its log shows an uncaught error or a failed handler. */
export function crashesOf(proxy: ProxyProcess): { count: number; lines: string[] } {
  const lines = proxy
    .stderr()
    .split('\n')
    .filter((l) => /uncaught exception|unhandled rejection|handler failed|request failed/.test(l));
  return { count: lines.length + (proxy.alive() ? 0 : 1), lines: proxy.alive() ? lines : [`the proxy process exited (${proxy.exitCode()})`, ...lines] };
}

