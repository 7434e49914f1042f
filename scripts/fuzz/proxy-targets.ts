/**
 * The proxy's fuzzers (`fuzzProxyApi`, `fuzzProxiedWs`) as targets of `npm run fuzz`: full scale is
 * 100,000 API requests and 2,000 proxied WebSocket connections (200 at a time); a slice is 2,000 and
 * 50. Unclear or multi-line refusals, bugs that reached a client, and a control link the fuzzing
 * slowed all count as bad errors.
 */
import { fuzzProxiedWs, fuzzProxyApi, type ProxyFuzzResult } from './proxy.js';
import type { FuzzOptions, FuzzResult } from './target.js';

function asResult(name: string, r: ProxyFuzzResult): FuzzResult {
  const bad = [...r.failures];
  if (r.otherLinkAffected) bad.push(`the control link was affected: ${JSON.stringify(r.control)}`);
  const problems = r.nonOneLineErrors + r.unclearErrors + r.bugs;
  if (problems > 0 && bad.length === 0) bad.push(`${r.nonOneLineErrors} multi-line, ${r.unclearErrors} unclear, ${r.bugs} bugs`);
  const outcomes = Object.entries(r.outcomes)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 6)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  return { name, seed: Number(r.seed), cases: r.cases, crashes: r.crashes, hangs: r.hangs, badErrors: bad.slice(0, 10), notes: `outcomes ${outcomes}` };
}

export async function fuzzProxyApiTarget(o: FuzzOptions): Promise<FuzzResult> {
  return asResult('proxy API', await fuzzProxyApi({ seed: o.seed, requests: o.scale === 'full' ? 100_000 : 2_000 }));
}

export async function fuzzProxiedWsTarget(o: FuzzOptions): Promise<FuzzResult> {
  return asResult('proxied WebSockets', await fuzzProxiedWs({ seed: o.seed, connections: o.scale === 'full' ? 2_000 : 50 }));
}
