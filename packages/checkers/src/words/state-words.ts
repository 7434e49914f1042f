/**
 * What a behaviour's `state` line says, in words (pure): a register's writes and decisions with
 * their values and ids (`overwrite x: "second" (n3/w1) replaces "first" (n1/w1)`), a sync round's
 * estimate and bound, and any other state as its key and value.
 */
import { readEventSchema, registerDecisionSchema, syncRoundSchema, writeEventSchema, type TraceLine } from '@faultline/protocol';
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

/** A register's or a sync's state in words (`overwrite x: "b" (n3/w1) replaces "a" (n1/w1)`), or null for any other. */
export function behaviourWords(line: StateLine): string | null {
  return line.behaviour === 'register' ? registerWords(line) : line.behaviour === 'sync' ? syncWords(line) : null;
}

/** `• overwrite x: "b" (n3/w1) replaces "a" (n1/w1)`, `• counter counter 2`, … */
export function stateText(line: StateLine): string {
  return `• ${behaviourWords(line) ?? `${line.behaviour} ${line.key} ${show(line.value)}`}`;
}
