/**
 * A history file (JSON lines, protocol's `historyEventSchema`: docs in protocol/src/history.ts),
 * read for `faultline check`. A line that is not an event is an error naming the file and the line.
 */
import { readFileSync, statSync } from 'node:fs';
import { FaultlineError, historyEventSchema, parseWith, type HistoryEvent } from '@faultline/protocol';

/** Histories this big are read whole (a 100,000-operation history is about 15 MB). */
const MAX_BYTES = 64 * 1024 * 1024;

export function readHistoryFile(file: string): HistoryEvent[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new FaultlineError('not-found', `${file}: no such file`);
  }
  if (size > MAX_BYTES) throw new FaultlineError('bad-usage', `${file}: ${Math.round(size / 1e6)} MB is more than check reads (64 MB)`);
  const events: HistoryEvent[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FaultlineError('bad-usage', `${file}:${i + 1}: not JSON`);
      }
      const parsed = parseWith(historyEventSchema, json, 'event');
      if (!parsed.ok) throw new FaultlineError('bad-usage', `${file}:${i + 1}: ${parsed.error}`);
      events.push(parsed.value);
    });
  if (events.length === 0) throw new FaultlineError('bad-usage', `${file}: no events (a history is one JSON event a line)`);
  return events;
}
