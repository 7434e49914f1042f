/**
 * Check 2, open files: the per-process limit on file descriptors against what a lab of N nodes
 * needs. Every socket and file is a descriptor, and the limit counts them per process, so what
 * matters is the busiest single process. The estimate (measured on Linux: proxy 3·L + 23, lab
 * process 5·N + 32, node 2·N + 20 for N = 3, 10, 20):
 *
 *   L     = N·(N−1)          directed links: every node has a WebSocket to every peer, each
 *                            through its own link proxy
 *   proxy = 3·L + 32         faultline-proxy: per link a listening socket and the two sockets of
 *                            the connection through it; Node.js itself, its admin API, its events
 *   lab   = 5·N + 64         the lab's process: per node a control channel, a log file and three
 *                            pipes; the trace, the control API, dashboards and trace readers
 *   node  = 2·(N−1) + 32     a node: a socket to and one from each peer, its server, its control
 *   need  = max(proxy, lab, node)
 *   room  = 2·need           headroom: after a heal every cut link reconnects, new sockets open
 *                            before the old ones are gone; a browser tab or two more
 *
 * fail below `need`, warn below `room`, ok from `room`. Node.js raises its own soft limit to the
 * hard one when it starts, so the limit that counts is the one a Node.js process has (what
 * `ulimit -n` prints in a shell may be lower: 256 on macOS), capped by the hard limit (and on macOS
 * by kern.maxfilesperproc).
 */
import { finding, type Finding } from './finding.js';

export type Limit = number | 'unlimited';

export interface OpenFilesFacts {
  platform: NodeJS.Platform;
  /** The soft and hard limits of a Node.js process here (after Node raised its soft limit). */
  soft?: Limit;
  hard?: Limit;
  /** Why they could not be read. */
  error?: string;
}

export interface OpenFilesEstimate {
  links: number;
  proxy: number;
  lab: number;
  node: number;
  need: number;
  room: number;
  /** A round limit to ask for: `room` up to the next 1024, at least 4096. */
  suggest: number;
}

export function estimateOpenFiles(nodes: number): OpenFilesEstimate {
  const links = nodes * (nodes - 1);
  const proxy = 3 * links + 32;
  const lab = 5 * nodes + 64;
  const node = 2 * (nodes - 1) + 32;
  const need = Math.max(proxy, lab, node);
  const room = 2 * need;
  return { links, proxy, lab, node, need, room, suggest: Math.max(4096, Math.ceil(room / 1024) * 1024) };
}

/** The largest lab (1 … 50 nodes) that fits in `limit` with room; 0 when not even one node does. */
export function nodesThatFit(limit: number): number {
  let n = 0;
  while (n < 50 && estimateOpenFiles(n + 1).room <= limit) n++;
  return n;
}

const limit = (text: string): Limit | undefined => (text === 'unlimited' || text === 'infinity' ? 'unlimited' : /^\d+$/.test(text) ? Number(text) : undefined);

/** Linux's /proc/self/limits: its "Max open files" line. */
export function parseProcLimits(text: string): { soft: Limit; hard: Limit } | undefined {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  const soft = m ? limit(m[1]) : undefined;
  const hard = m ? limit(m[2]) : undefined;
  return soft !== undefined && hard !== undefined ? { soft, hard } : undefined;
}

/** What `sh -c 'ulimit -Sn; ulimit -Hn'` prints: the soft limit, then the hard one. */
export function parseUlimit(text: string): { soft: Limit; hard: Limit } | undefined {
  const [a, b] = text.trim().split(/\s+/);
  const soft = a === undefined ? undefined : limit(a);
  const hard = b === undefined ? undefined : limit(b);
  return soft !== undefined && hard !== undefined ? { soft, hard } : undefined;
}

function fixLines(facts: OpenFilesFacts, soft: number, target: number, nodes: number, e: OpenFilesEstimate): string[] {
  const hard = facts.hard;
  const lines: string[] = [];
  const hardAllows = hard === 'unlimited' || (hard !== undefined && hard >= target);
  if (hardAllows && !(facts.platform === 'darwin' && hard === 'unlimited')) {
    // Only the soft limit is low: any user may raise it up to the hard one.
    lines.push(
      'raise it in the terminal that runs the lab (npm start, npm test):',
      `  ulimit -n ${e.suggest}`,
      `to keep it, add that line to ${facts.platform === 'darwin' ? '~/.zshrc' : '~/.bashrc (or ~/.zshrc)'}`,
    );
  } else if (facts.platform === 'darwin') {
    lines.push('macOS caps each process at kern.maxfilesperproc; raise it:', '  sudo sysctl -w kern.maxfiles=200000 kern.maxfilesperproc=65536');
    if (typeof hard === 'number') lines.push(`and the hard limit (${hard}):`, '  sudo launchctl limit maxfiles 65536 200000');
    lines.push('then open a new terminal (this lasts until a restart)');
  } else {
    lines.push(
      `the hard limit (${String(hard ?? soft)}) caps Node.js; only root raises it: add`,
      '  * hard nofile 65536',
      'to /etc/security/limits.conf, then log in again',
      'in a container: docker run --ulimit nofile=65536:65536 …',
      '(`ulimit -n N` in bash lowers the hard limit too: try a new terminal)',
    );
  }
  const fit = nodesThatFit(soft);
  if (fit >= 1 && fit < nodes) lines.push(`or a smaller lab, which fits with room: npx faultline up --nodes ${fit}`);
  return lines;
}

export function checkOpenFiles(facts: OpenFilesFacts, nodes: number): Finding {
  const e = estimateOpenFiles(nodes);
  const name = 'open-files';
  if (facts.platform === 'win32') return finding(name, 'ok', 'Windows has no ulimit: nothing to raise');
  const soft = facts.soft;
  if (soft === undefined) {
    return finding(name, 'warn', `could not read the limit${facts.error ? ` (${facts.error})` : ''}`, [
      `check \`ulimit -Hn\` in a shell: ${nodes} nodes need about ${e.need} open files a process`,
    ]);
  }
  if (soft === 'unlimited') return finding(name, 'ok', `unlimited per process; ${nodes} nodes need ~${e.need}`);
  if (soft < e.need) return finding(name, 'fail', `${soft} per process, but ${nodes} nodes need ~${e.need}`, fixLines(facts, soft, e.need, nodes, e));
  if (soft < e.room) return finding(name, 'warn', `${soft} per process; ${nodes} nodes need ~${e.need}: little room`, fixLines(facts, soft, e.room, nodes, e));
  return finding(name, 'ok', `${soft} per process; ${nodes} nodes need ~${e.need} (~${e.room} with room)`);
}
