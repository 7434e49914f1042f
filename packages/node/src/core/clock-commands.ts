/**
 * `set_clock` and `jump_clock` applied to a node's clocks: the `clock_change` event to record, or
 * why the command was refused (a value the skewed clock rejects, or a jump that would take the
 * offset past ±1 day; then nothing changed).
 */
import { FaultlineError, offsetProblem } from '@faultline/protocol';
import type { Command, NodeTraceEvent } from '@faultline/protocol';
import type { NodeClocks } from './node-clocks.js';

type ClockCommand = Extract<Command, { type: 'set_clock' | 'jump_clock' }>;
type ClockChange = Extract<NodeTraceEvent, { kind: 'clock_change' }>;

export function applyClockCommand(clocks: NodeClocks, command: ClockCommand, trueMs: number): { ok: true; event: ClockChange } | { ok: false; error: string } {
  // Jumps add up: the offset they lead to stays within the bounds an offset has.
  if (command.type === 'jump_clock') {
    const problem = offsetProblem(clocks.skew(trueMs).offsetMs + command.deltaMs, 'the offset after the jump');
    if (problem !== null) return { ok: false, error: `jump_clock: ${problem}` };
  }
  try {
    if (command.type === 'set_clock') clocks.set({ offsetMs: command.offsetMs, driftPpm: command.driftPpm }, trueMs);
    else clocks.jump(command.deltaMs, trueMs);
  } catch (err) {
    if (err instanceof FaultlineError) return { ok: false, error: `${command.type}: ${err.message}` };
    throw err;
  }
  const { offsetMs, driftPpm } = clocks.skew(trueMs);
  const jump = command.type === 'jump_clock' ? { jumpMs: command.deltaMs } : {};
  return { ok: true, event: { kind: 'clock_change', offsetMs, driftPpm, ...jump } };
}
