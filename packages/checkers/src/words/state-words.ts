/**
 * What a behaviour's `state` line says, in words (pure): a register's writes and decisions with
 * their values and ids (`overwrite x: "second" (n3/w1) replaces "first" (n1/w1)`), a sync round's
 * estimate and bound, a key-value store's copies and reads, a leader's terms and writes, a
 * failure detector's suspicions, and any other state as its key and value.
 */
import { detectorSettingsSchema, detectorSuspectSchema, detectorTrustSchema, LEADER_STATE_SCHEMAS, kvApplyEventSchema, kvBackupMissedEventSchema, kvReadEventSchema, readEventSchema, registerDecisionSchema, syncRoundSchema, writeEventSchema, type KvVersion, type TraceLine } from '@faultline/protocol';
import { formatDuration } from './time.js';

type StateLine = Extract<TraceLine, { kind: 'state' }>;

/** At most this many characters of a value (a value is any JSON). */
const VALUE_CHARS = 60;

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
};
const signed = (ms: number): string => `${ms >= 0 ? '+' : ''}${formatDuration(ms)}`;
const ref = (w: { id: string; value: unknown }): string => `${show(w.value)} (${w.id})`;
const list = (ws: readonly { id: string; value: unknown }[]): string => ws.map(ref).join(' and ');

/** The line's words after the bullet: `overwrite x: …`, or null to say it as key and value. */
function registerWords(line: StateLine): string | null {
  if (line.key === 'write') {
    const w = writeEventSchema.safeParse(line.value);
    return w.success ? `write ${w.data.key} = ${ref(w.data)}` : null;
  }
  if (line.key === 'read') {
    const r = readEventSchema.safeParse(line.value);
    return r.success ? `read ${r.data.key} → ${r.data.values.length === 0 ? 'nothing' : r.data.values.map(show).join(', ')}` : null;
  }
  const d = registerDecisionSchema.safeParse(line.value);
  if (!d.success) return null;
  const { key, write, others } = d.data;
  switch (line.key) {
    case 'apply':
      return `apply ${key} = ${ref(write)}`;
    case 'overwrite':
      return `overwrite ${key}: ${ref(write)} replaces ${list(others)}`;
    case 'discard':
      return `discard ${key}: ${ref(write)} loses to ${list(others)}`;
    case 'sibling':
      return `sibling ${key}: ${ref(write)} kept beside ${list(others)}`;
    default:
      return null;
  }
}

function syncWords(line: StateLine): string | null {
  if (line.key !== 'sync') return null;
  const r = syncRoundSchema.safeParse(line.value);
  if (!r.success) return null;
  const corrected = r.data.correctedMs === undefined ? '' : `, clock stepped ${signed(r.data.correctedMs)}`;
  return `sync with ${r.data.server}: offset ${signed(r.data.estimateMs)} ±${formatDuration(r.data.boundMs)} (round trip ${formatDuration(r.data.rttMs)}${corrected})`;
}

const version = (v: KvVersion | null): string => (v === null ? 'no version' : `v${v.n}@${v.node}`);

/** A key-value store's copy changing, a read it answered, backups a primary went on without. */
function kvWords(line: StateLine): string | null {
  if (line.key === 'kv_apply') {
    const a = kvApplyEventSchema.safeParse(line.value);
    return a.success ? `store ${a.data.key} = ${show(a.data.value)} (${version(a.data.version)})` : null;
  }
  if (line.key === 'kv_read') {
    const r = kvReadEventSchema.safeParse(line.value);
    return r.success ? `read ${r.data.key} → ${r.data.value === null ? 'nothing' : show(r.data.value)} (${version(r.data.version)})` : null;
  }
  if (line.key === 'kv_backup_missed') {
    const m = kvBackupMissedEventSchema.safeParse(line.value);
    return m.success ? `answered without ${m.data.backups.join(', ')}: ${m.data.key} ${version(m.data.version)} not copied there` : null;
  }
  return null;
}

const values = (vs: readonly unknown[], max = 6): string => `${vs.slice(0, max).map(show).join(', ')}${vs.length > max ? ` … (${vs.length})` : ''}`;

/** A leader lease's elections, terms, leases and writes. */
function leaderWords(line: StateLine): string | null {
  const key = line.key as keyof typeof LEADER_STATE_SCHEMAS;
  if (!(key in LEADER_STATE_SCHEMAS)) return null;
  const parsed = LEADER_STATE_SCHEMAS[key].safeParse(line.value);
  if (!parsed.success) return null;
  const v = parsed.data as Record<string, unknown>;
  switch (key) {
    case 'pre_vote':
      return `asks whether it could win term ${String(v.term)} (a pre-vote)`;
    case 'candidate':
      return `stands for term ${String(v.term)}, asks for votes`;
    case 'leader':
      return `leads term ${String(v.term)}${Array.isArray(v.votes) ? ` (votes ${(v.votes as string[]).join(', ')}${typeof v.leftMs === 'number' ? `; lease ${formatDuration(v.leftMs)} left` : ''})` : ' (no vote)'}`;
    case 'lease':
      return `lease renewed (term ${String(v.term)}): ${formatDuration(v.leftMs as number)} left`;
    case 'step_down':
      return `steps down (term ${String(v.term)}): ${String(v.reason)}`;
    case 'follow':
      return `follows ${String(v.leader)} (term ${String(v.term)})`;
    case 'adopt': {
      const dropped = (v.dropped as { value: unknown }[]).map((d) => d.value);
      return `takes ${String(v.leader)}'s list (term ${String(v.term)})${dropped.length ? `, losing ${values(dropped)}` : ''}`;
    }
    case 'accepted':
      return `acknowledged append ${String(v.key)} ${show(v.value)} (term ${String(v.term)})`;
    case 'refused':
      return `refused append ${String(v.key)} ${show(v.value)}: ${String(v.reason)}`;
  }
}

/** A failure detector's settings, suspicions and returns to trust. */
function detectorWords(line: StateLine): string | null {
  if (line.key === 'suspect') {
    const v = detectorSuspectSchema.safeParse(line.value);
    return v.success ? `suspects ${v.data.peer}: ${formatDuration(v.data.sinceMs)} without a heartbeat${v.data.phi === undefined ? '' : ` (phi ${v.data.phi.toFixed(1)})`}` : null;
  }
  if (line.key === 'trust') {
    const v = detectorTrustSchema.safeParse(line.value);
    return v.success ? `trusts ${v.data.peer} again (suspected for ${formatDuration(v.data.suspectedForMs)})` : null;
  }
  if (line.key === 'fd_config') {
    const v = detectorSettingsSchema.safeParse(line.value);
    if (!v.success) return null;
    const rule = v.data.method === 'timeout' ? `timeout ${formatDuration(v.data.timeoutMs)}` : `phi above ${v.data.threshold}`;
    return `detector: suspect after ${rule} (heartbeats every ${formatDuration(v.data.intervalMs)})`;
  }
  return null;
}

/** A behaviour's state in words (`overwrite x: "b" (n3/w1) replaces "a" (n1/w1)`), or null for one it has no words for. */
export function behaviourWords(line: StateLine): string | null {
  switch (line.behaviour) {
    case 'register':
      return registerWords(line);
    case 'sync':
      return syncWords(line);
    case 'kv':
      return kvWords(line);
    case 'leader':
      return leaderWords(line);
    case 'detector':
      return detectorWords(line);
    default:
      return null;
  }
}

/** `• overwrite x: "b" (n3/w1) replaces "a" (n1/w1)`, `• counter counter 2`, … */
export function stateText(line: StateLine): string {
  return `• ${behaviourWords(line) ?? `${line.behaviour} ${line.key} ${show(line.value)}`}`;
}
