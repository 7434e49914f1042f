/**
 * Fuzzing faultline-proxy, a real process started for the run: its HTTP API (`fuzzProxyApi`)
 * and WebSocket connections proxied through it (`fuzzProxiedWs`), each while a control link of
 * its own carries echo traffic. Every case is drawn from `createRng(seed, <label>:<index>)`, so
 * a seed and a case number name a case. The result counts what must stay 0: crashes (the process
 * died, or logged an uncaught exception or a failed handler), hangs (no answer within the bound),
 * refusals that are not one clear line, and whether the control link noticed anything.
 */
import http from 'node:http';
import { createRng } from '@faultline/random';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { crashesOf, type ProxyFuzzResult } from './proxy-result.js';
import { apiCase } from './proxy-api-cases.js';
import { judgeAnswer, looksLikeBug } from './proxy-answers.js';
import { startControl, type ControlProcess } from './control-process.js';
import type { ControlReport } from './proxy-control.js';
import { sendHttp, sendRaw, sendTraffic, type Outcome } from './proxy-send.js';
import { echoServer } from './proxy-upstreams.js';

export { fuzzProxiedWs } from './proxy-ws.js';
export type { ProxyFuzzResult } from './proxy-result.js';

export interface ApiFuzzOptions {
  seed: number | bigint;
  requests: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** A request unanswered this long is a hang (default 10 s). */
  boundMs?: number;
  /** A control round trip slower than this marks the control link affected (default 5 s). */
  controlBoundMs?: number;
  /** Called every 1,000 cases. */
  progress?: (done: number) => void;
}

const CONTROL = 'fuzz-control';

async function api(proxy: ProxyProcess, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(proxy.url + path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.trim()}`);
  return text === '' ? undefined : JSON.parse(text);
}

export async function fuzzProxyApi(options: ApiFuzzOptions): Promise<ProxyFuzzResult> {
  const seed = BigInt(options.seed);
  const boundMs = options.boundMs ?? 10_000;
  const started = performance.now();
  const echo = await echoServer();
  const proxy = await spawnProxy(['--seed', String(seed)]);
  const url = new URL(proxy.url);
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  const internal = new Set<string>();
  const closedWithout: Record<string, number> = {};
  const counts = { cases: 0, hangs: 0, nonOneLineErrors: 0, unclearErrors: 0, bugs: 0 };
  const fail = (i: number, what: string): void => {
    if (failures.length < 20) failures.push(`case ${i} (seed ${seed}): ${what}`.slice(0, 300));
  };
  let control: ControlProcess | undefined;
  let report: ControlReport | undefined;
  let crashes: { count: number; lines: string[] } | undefined;
  try {
    control = await startControl('tcp', 20, options.controlBoundMs ?? 5_000);
    const created = (await api(proxy, 'POST', '/proxies', { name: CONTROL, listen: '127.0.0.1:0', upstream: control.upstream })) as { listen: string };
    await control.go(Number(created.listen.split(':').pop()));
    let next = 0;
    const worker = async (): Promise<void> => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = next++; i < options.requests; i = next++) {
          await runCase(i);
          if (i % 1000 === 999) options.progress?.(i + 1);
          if (i % 500 === 499) await tidy();
        }
      } finally {
        agent.destroy();
      }

      async function runCase(i: number): Promise<void> {
        const c = apiCase(createRng(seed, `proxy-api:${i}`), echo.address);
        counts.cases++;
        if (c.kind === 'traffic') {
          const all = (await api(proxy, 'GET', '/proxies')) as Record<string, { listen: string; enabled: boolean }>;
          const targets = Object.entries(all).filter(([name, p]) => name !== CONTROL && p.enabled);
          if (targets.length > 0) await sendTraffic(Number(targets[i % targets.length][1].listen.split(':').pop()), c.bytes, 2_000);
          outcomes.traffic = (outcomes.traffic ?? 0) + 1;
          return;
        }
        const method = c.kind === 'http' ? c.method : 'RAW';
        const label = c.kind === 'http' ? `${c.method} ${c.path.slice(0, 80)}` : `raw ${c.label}`;
        let outcome: Outcome = c.kind === 'http' ? await sendHttp(url, agent, c.method, c.path, c.headers, c.body, boundMs) : await sendRaw(Number(url.port), c.bytes, boundMs);
        // A path Node's client refuses to send goes out raw.
        if (outcome.kind === 'refused' && c.kind === 'http') {
          const head = `${c.method} ${c.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(c.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${c.body?.length ?? 0}\r\n\r\n`;
          outcome = await sendRaw(Number(url.port), Buffer.concat([Buffer.from(head, 'latin1'), c.body ?? Buffer.alloc(0)]), boundMs);
        }
        const key = outcome.kind === 'answer' ? String(outcome.reply.status) : outcome.kind;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (outcome.kind === 'closed' && process.env.FUZZ_DEBUG) process.stderr.write(`closed: case ${i} ${label} ${JSON.stringify(c.kind === 'http' ? c.headers : {})} ${outcome.bytes}\n`);
        if (outcome.kind === 'closed') closedWithout[label.replace(/ \/.*/, '')] = (closedWithout[label.replace(/ \/.*/, '')] ?? 0) + 1;
        if (outcome.kind === 'hang') {
          counts.hangs++;
          fail(i, `${label}: no answer within ${boundMs} ms`);
          return;
        }
        // A raw request always gets an answer (Node's parser errors are answered too); an HTTP
        // client may see a close instead where it cannot read the answer (a 400 body after HEAD).
        if (outcome.kind === 'closed' && c.kind === 'raw') {
          counts.unclearErrors++;
          fail(i, `${label}: the connection closed without an answer`);
        }
        if (outcome.kind !== 'answer') return;
        const { status, body } = outcome.reply;
        const verdict = judgeAnswer(status, body, method);
        if (!verdict.oneLine) {
          counts.nonOneLineErrors++;
          fail(i, `${label}: ${status} answered ${JSON.stringify(body.slice(0, 120))}`);
        } else if (!verdict.clear) {
          counts.unclearErrors++;
          fail(i, `${label}: ${status} answered ${JSON.stringify(body.slice(0, 120))}`);
        }
        if (looksLikeBug(verdict.message)) {
          counts.bugs++;
          fail(i, `${label}: ${status} ${verdict.message}`);
        }
        if (c.kind === 'http' && c.refusal && status < 400) {
          counts.unclearErrors++;
          fail(i, `${label}: a foreign ${c.refusal} was answered ${status}, not refused`);
        }
        if (status === 500 && verdict.message !== undefined && internal.size < 30) internal.add(verdict.message.replace(/[0-9]+/g, 'N').replace(/(.{100}).+?(: [^:]+)$/, '$1…$2'));
      }
    };
    /** Not a case: keeps the number of proxies (and their ports) bounded. */
    const tidy = async (): Promise<void> => {
      const all = (await api(proxy, 'GET', '/proxies')) as Record<string, unknown>;
      for (const name of Object.keys(all)) if (name !== CONTROL) await fetch(`${proxy.url}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE' }).then((r) => r.text());
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    report = await control?.stop();
    crashes = crashesOf(proxy);
    await proxy.stop();
    await echo.close();
  }
  report ??= { roundTrips: 0, medianRttMs: 0, maxRttMs: 0, affected: 'control link never started' };
  for (const line of crashes.lines) if (failures.length < 20) failures.push(line.slice(0, 300));
  return {
    target: 'proxy-api',
    seed: seed.toString(),
    ...counts,
    crashes: crashes.count,
    otherLinkAffected: report.affected !== undefined,
    control: report,
    outcomes,
    details: { internalErrors: [...internal].sort(), closedWithoutAnswer: closedWithout },
    durationMs: Math.round(performance.now() - started),
    failures,
  };
}
