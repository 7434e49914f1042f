/** `faultline doctor`'s flags, checked: a bad one is bad usage (one line, exit 2) naming the flag and what it got. */
import { FaultlineError } from '@faultline/protocol';

export interface DoctorFlags {
  /** The lab to check for: 1 … 50 nodes (default 10; 5 for a classroom). */
  nodes: number;
  /** A control port a classroom publishes, to check it is free. */
  port?: number;
  /** Docker is needed: its problems fail instead of warn. */
  classroom: boolean;
}

export interface RawDoctorFlags {
  nodes?: string;
  port?: string;
  classroom?: boolean;
}

/** The classroom's lab as docker-compose.yml runs it: 5 nodes, its control port published on 4000 (or $FAULTLINE_PORT). */
export const CLASSROOM_NODES = 5;
export const CLASSROOM_PORT = '4000';

/**
 * Without --nodes: a 10-node lab (split-brain's), or with --classroom the compose file's 5; with
 * --classroom and no --port, the port compose publishes is checked too.
 */
export function parseDoctorFlags(raw: RawDoctorFlags, env: Readonly<Record<string, string | undefined>> = {}): DoctorFlags {
  const given = raw.nodes ?? String(raw.classroom === true ? CLASSROOM_NODES : 10);
  const nodes = /^\d+$/.test(given) ? Number(given) : NaN;
  if (!(nodes >= 1 && nodes <= 50)) throw new FaultlineError('bad-usage', `expected a number of nodes from 1 to 50 for --nodes, got "${given}"`);
  if (raw.port === undefined && raw.classroom === true) raw = { ...raw, port: env.FAULTLINE_PORT || CLASSROOM_PORT };
  let port: number | undefined;
  if (raw.port !== undefined) {
    port = /^\d+$/.test(raw.port) ? Number(raw.port) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new FaultlineError('bad-usage', `expected a port from 1 to 65535 for --port, got "${raw.port}"`);
  }
  return { nodes, ...(port === undefined ? {} : { port }), classroom: raw.classroom === true };
}
