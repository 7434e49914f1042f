/**
 * echo's checker (pure). Rule: every `ok` echo answered exactly the payload it was sent (compared
 * as JSON), and at least one echo was answered. Errors and timeouts are counted, not held
 * against the program (Maelstrom's rule; the availability in the stats shows them).
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps } from '../history/pair.js';
import { jsonEqual, show } from '../json.js';
import { at, baseStats, originOf, preliminary, who, type BaseStats, type Verdict } from './verdict.js';

export interface EchoStats extends BaseStats {
  /** ok echoes whose payload came back different. */
  readonly wrong: number;
}

export function checkEcho(history: readonly MaelstromHistoryEvent[]): Verdict<EchoStats> {
  const { ops } = pairOps(history);
  const echoes = ops.filter((op) => op.f === 'echo');
  const wrong = echoes.filter((op) => op.type === 'ok' && !jsonEqual(op.input, op.output));
  const stats = { ...baseStats(echoes), wrong: wrong.length };
  const early = preliminary(echoes, stats);
  if (early) return early;
  if (wrong.length > 0) {
    const op = wrong[0];
    return { valid: false, reason: `${who(op)} was sent ${show(op.input)} ${at(op.invokeMs, originOf(ops))} and echoed ${show(op.output)}${wrong.length > 1 ? ` (${wrong.length} echoes came back wrong)` : ''}`, stats };
  }
  if (stats.ok === 0) return { valid: false, reason: `none of the ${echoes.length} echoes was answered`, stats };
  return { valid: true, reason: `all ${stats.ok} answered echoes came back unchanged`, stats };
}
