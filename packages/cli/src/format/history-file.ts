/**
 * A history file (JSON lines, protocol's `historyEventSchema`: docs in protocol/src/history.ts),
 * read for `faultline check`. A line that is not an event is an error naming the file and the line.
 */
import { FaultlineError, historyEventSchema, type HistoryEvent } from '@faultline/protocol';
import { readJsonLines } from './json-lines-file.js';

/** Histories this big are read whole (a 100,000-operation history is about 15 MB). */
const MAX_BYTES = 64 * 1024 * 1024;

export function readHistoryFile(file: string): HistoryEvent[] {
  const events = readJsonLines(file, historyEventSchema, { maxBytes: MAX_BYTES, what: 'event' });
  if (events.length === 0) throw new FaultlineError('bad-usage', `${file}: no events (a history is one JSON event a line)`);
  return events;
}
