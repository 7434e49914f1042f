/** `faultline doctor`'s flags, checked: a bad one is bad usage (one line, exit 2) naming the flag and what it got. */
import { FaultlineError } from '@faultline/protocol';

export interface DoctorFlags {
  /** The lab to check for: 1 … 50 nodes (default 10). */
  nodes: number;
  /** A control port a classroom publishes, to check it is free. */
  port?: number;
  /** Docker is needed: its problems fail instead of warn. */
  classroom: boolean;
}

export interface RawDoctorFlags {
  nodes: string;
  port?: string;
  classroom?: boolean;
}

export function parseDoctorFlags(raw: RawDoctorFlags): DoctorFlags {
  const nodes = /^\d+$/.test(raw.nodes) ? Number(raw.nodes) : NaN;
  if (!(nodes >= 1 && nodes <= 50)) throw new FaultlineError('bad-usage', `expected a number of nodes from 1 to 50 for --nodes, got "${raw.nodes}"`);
  let port: number | undefined;
  if (raw.port !== undefined) {
    port = /^\d+$/.test(raw.port) ? Number(raw.port) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new FaultlineError('bad-usage', `expected a port from 1 to 65535 for --port, got "${raw.port}"`);
  }
  return { nodes, ...(port === undefined ? {} : { port }), classroom: raw.classroom === true };
}
