/**
 * A real lab for the network fuzz targets: 3 nodes, the real proxy. `harm` says what the fuzzing
 * did to it: a node gone (crash), a node or the coordinator that no longer answers (hang), a link
 * of the lab that went down or an RPC between two nodes that fails (another link affected), and
 * `malformed` trace lines whose error is not one line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@faultline/coordinator';
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import { pino } from 'pino';
import { isOneLine, type Tally } from './target.js';

export interface FuzzLab {
  readonly lab: Lab;
  /** Each node's peer (WebSocket) port. */
  readonly peerPorts: Record<string, number>;
  /** The coordinator's control channel, as the nodes were told it. */
  readonly controlUrl: string;
  /**
   * The headers a node's peer connection carries (h-forge's per-lab secret will go here: the one
   * line to change once the lab exposes it).
   */
  readonly peerHeaders: Record<string, string>;
  /** The lab's log lines (pino JSON) of level warn and above, as written. */
  readonly warnings: string[];
  stop(): Promise<void>;
}

export async function startFuzzLab(seed: number): Promise<FuzzLab> {
  const runsDir = mkdtempSync(join(tmpdir(), 'faultline-fuzz-'));
  const warnings: string[] = [];
  const sink = { write: (line: string): void => void warnings.push(line) };
  const lab = await startLab({ nodes: 3, seed: String(seed), runsDir }, { logger: pino({ level: 'warn' }, sink) });
  const starts = lab.trace({ kinds: ['node_start'] });
  const peerPorts = Object.fromEntries(starts.map((l) => [l.node!, l.kind === 'node_start' ? l.port : 0]));
  const pid = (await lab.status()).nodes[0].pid!;
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const controlUrl = argv[argv.indexOf('--control') + 1];
  return {
    lab,
    peerPorts,
    controlUrl,
    // The lab's own secret: the hostile frames get past the handshake and meet the node's checks.
    peerHeaders: { [LAB_SECRET_HEADER]: lab.labSecret() },
    warnings,
    stop: async () => {
      await lab.stop();
      rmSync(runsDir, { recursive: true, force: true });
    },
  };
}

/** Counts what the fuzzing since trace line `since` did to the lab into `tally`. */
export async function harm(f: FuzzLab, since: number, tally: Tally): Promise<void> {
  const { lab } = f;
  for (const id of lab.nodes) if (lab.state(id) !== 'running') tally.crash(`${id} is ${lab.state(id)}`);
  const lines = lab.trace({ since });
  for (const l of lines) {
    if (l.kind === 'exit') tally.crash(`${l.node} exited (code ${l.code}, signal ${l.signal})`);
    if (l.kind === 'peer_down') tally.bad(`another link affected: ${l.node} lost its link to ${l.peer}`);
    if (l.kind === 'malformed' && !isOneLine(l.error)) tally.bad(`${l.node} traced a malformed error of more than one line: ${JSON.stringify(l.error)}`);
  }
  // Each node answers `status` (a node may still be digesting a burst of hostile input: 15 s to answer).
  const deadline = performance.now() + 15_000;
  let silent: string[] = [...lab.nodes];
  while (silent.length > 0 && performance.now() < deadline) {
    const status = await Promise.race([lab.status(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000))]);
    silent = status ? status.nodes.filter((n) => n.state === 'running' && !n.status).map((n) => n.id) : ['the coordinator'];
    if (silent.length > 0) await new Promise((r) => setTimeout(r, 500));
  }
  for (const who of silent) tally.hang(`${who} did not answer status within 15 s`);
  for (const from of lab.nodes) {
    for (const to of lab.nodes) {
      if (from === to) continue;
      const r = await lab.rpc(from, to, 'ping', {}, 5_000).catch((err: unknown) => ({ error: (err as Error).message }));
      if ('error' in r) tally.bad(`another link affected: rpc ${from} → ${to} refused: ${r.error}`);
      else if (r.result.outcome !== 'ok') tally.bad(`another link affected: rpc ${from} → ${to}: ${r.result.outcome}`);
    }
  }
}
