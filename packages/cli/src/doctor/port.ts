/**
 * Check 3b, `--port P`: is the port a classroom publishes (its control port, e.g. 4000) free? The
 * shell tries to listen on it, on 127.0.0.1 and on every interface (a published port binds those),
 * and when it is taken asks lsof (or ss) who holds it and looks for a free one nearby.
 */
import { finding, type Finding } from './finding.js';

export interface PortFacts {
  port: number;
  platform: NodeJS.Platform;
  free: boolean;
  /** Why listening failed: EADDRINUSE, EACCES, … */
  code?: string;
  /** Who listens there, when lsof or ss could tell (only this user's processes, without root). */
  holder?: { command: string; pid?: number };
  /** A free port close above, when one was found. */
  alternative?: number;
}

/** Who often holds a well-known development port. */
const KNOWN: Readonly<Record<number, string>> = {
  3000: 'a dev server (React, Next.js, Rails, Grafana)',
  4000: 'a dev server (Phoenix, Jekyll) or another lab',
  5000: 'AirPlay Receiver (macOS; System Settings) or Flask',
  5173: 'a Vite dev server',
  7000: 'AirPlay Receiver (macOS; System Settings)',
  8000: 'a dev server (python -m http.server, Django)',
  8080: 'a web proxy or app server (Tomcat, Jenkins)',
  8474: "Toxiproxy's API (toxiproxy-server)",
};

/** `lsof -nP -iTCP:P -sTCP:LISTEN -Fpc`: `p1234` and `cnode` lines; the first process. */
export function parseLsof(text: string): { command: string; pid?: number } | undefined {
  const pid = /^p(\d+)$/m.exec(text)?.[1];
  const command = /^c(.+)$/m.exec(text)?.[1];
  return command ? { command, ...(pid ? { pid: Number(pid) } : {}) } : undefined;
}

/** `ss -ltnp sport = :P`: `users:(("node",pid=1234,fd=20))`; the first process. */
export function parseSs(text: string): { command: string; pid?: number } | undefined {
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(text);
  return m ? { command: m[1], pid: Number(m[2]) } : undefined;
}

export function checkPort(facts: PortFacts): Finding {
  const { port } = facts;
  if (facts.free) return finding('port', 'ok', `${port} is free (127.0.0.1 and all interfaces)`);
  const other =
    facts.alternative === undefined
      ? []
      : [`or use another port: ${facts.alternative} is free now`, `(the lab in Docker: FAULTLINE_PORT=${facts.alternative} docker compose up -d)`];
  if (facts.code === 'EACCES') {
    return finding('port', 'fail', `${port}: listening there needs privileges here`, [`use a port above 1023, e.g. ${facts.alternative ?? 4000}`]);
  }
  if (facts.code !== 'EADDRINUSE') return finding('port', 'fail', `${port}: cannot listen there (${facts.code ?? 'unknown error'})`, other);
  const holder = facts.holder;
  const who = holder ? `${holder.command}${holder.pid === undefined ? '' : ` (pid ${holder.pid})`}` : undefined;
  const fix: string[] = [];
  if (who) fix.push(`stop ${who} if you do not need it`);
  else {
    if (KNOWN[port]) fix.push(`often held by ${KNOWN[port]}`);
    if (facts.platform === 'win32') fix.push('see who holds it:', `  netstat -ano | findstr :${port}`);
    else fix.push("see who holds it (with sudo: every user's):", `  lsof -nP -iTCP:${port} -sTCP:LISTEN`);
  }
  fix.push(...other);
  return finding('port', 'fail', who ? `${port} is in use by ${who}` : `${port} is in use`, fix);
}
