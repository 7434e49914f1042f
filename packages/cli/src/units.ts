/**
 * What a person types for durations, percentages, drift and node lists, parsed strictly: anything
 * else is a `bad-usage` FaultlineError that says what was expected and what came.
 */
import { driftProblem, durationMs, MESSAGE_TYPE_MAX, messageTypeSchema, nodeIdSchema, offsetProblem, type NodeId } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';

/** `200ms`, `2s`, `1.5s`, `1m` → ms. With `signed`, `+2s` and `-5s` too (clock offsets and jumps). */
export function parseDuration(text: string, flag: string, options: { signed?: boolean } = {}): number {
  const ms = durationMs(text.trim(), options);
  if (ms === undefined) {
    const example = options.signed ? '+2s or -500ms' : '200ms or 2s';
    throw new FaultlineError('bad-usage', `expected a duration like ${example} for ${flag}, got "${text}"`);
  }
  return ms;
}

/** `10%` or `10` → 10 (0–100). */
export function parsePercent(text: string, flag: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)%?$/.exec(text.trim());
  const value = m ? Number(m[1]) : NaN;
  if (!m || value > 100) throw new FaultlineError('bad-usage', `expected a percentage from 0% to 100% for ${flag}, got "${text}"`);
  return value;
}

/** `200ppm`, `-50ppm` or `200` → parts per million. */
export function parsePpm(text: string, flag: string): number {
  const m = /^([+-]?[0-9]+(?:\.[0-9]+)?)(ppm)?$/.exec(text.trim());
  if (!m) throw new FaultlineError('bad-usage', `expected a drift like 200ppm or -50ppm for ${flag}, got "${text}"`);
  return Number(m[1]);
}

/** A clock offset or jump: a signed duration within ±1 day (`MAX_CLOCK_OFFSET_MS`, as the API and lesson files). */
export function parseClockOffset(text: string, flag: string): number {
  const ms = parseDuration(text, flag, { signed: true });
  const problem = offsetProblem(ms, flag);
  if (problem !== null) throw new FaultlineError('bad-usage', problem);
  return ms;
}

/** A drift in ppm within the skewed clock's bounds (above -1e6, at most 1e6). */
export function parseDrift(text: string, flag: string): number {
  const ppm = parsePpm(text, flag);
  const problem = driftProblem(ppm, flag);
  if (problem !== null) throw new FaultlineError('bad-usage', problem);
  return ppm;
}

/** `500KB/s`, `2MB/s` or `500` (KB/s) → KB/s, as Toxiproxy's bandwidth toxic counts (1 KB = 1000 bytes). */
export function parseRate(text: string, flag: string): number {
  const m = /^([0-9]+)(KB\/s|MB\/s)?$/i.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new FaultlineError('bad-usage', `expected a rate like 500KB/s or 2MB/s for ${flag}, got "${text}"`);
  return Number(m[1]) * ((m[2] ?? '').toUpperCase() === 'MB/S' ? 1000 : 1);
}

export function parseNode(text: string, what = 'node'): NodeId {
  if (!nodeIdSchema.safeParse(text).success) throw new FaultlineError('bad-usage', `expected a node id like n1 for ${what}, got "${text}"`);
  return text;
}

/** A message type (`ping`), no longer than an envelope carries: the envelope's own schema says. */
export function parseMessageType(text: string, flag: string): string {
  if (!messageTypeSchema.safeParse(text).success) {
    throw new FaultlineError('bad-usage', `expected a message type of 1 to ${MESSAGE_TYPE_MAX} characters for ${flag}, got ${text.length} characters`);
  }
  return text;
}

/** `n1,n2` → ['n1', 'n2'] (a partition group). */
export function parseGroup(text: string): NodeId[] {
  const ids = text.split(',').filter((s) => s !== '');
  if (ids.length === 0) throw new FaultlineError('bad-usage', `expected a group like n1,n2, got "${text}"`);
  return ids.map((id) => parseNode(id, `group "${text}"`));
}

export { formatDuration } from '@faultline/checkers';
