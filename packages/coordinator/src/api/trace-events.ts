/**
 * `GET /events`: the trace as server-sent events, one TraceLine per event (`id:` its seq, so a
 * browser's EventSource resumes with `Last-Event-ID`); `?since=SEQ` first replays the lines after SEQ.
 */
import type { EventSink, TraceLine } from '@faultline/protocol';
import type { LabPort } from './lab-port.js';

/** Streams until the returned function is called (the client went, or the lab stops). */
export function streamTrace(lab: Pick<LabPort, 'seed' | 'trace' | 'subscribe'>, sink: EventSink<TraceLine>, since: number | undefined): () => void {
  const lastEventId = sink.lastEventId;
  const from = since ?? (lastEventId !== undefined && /^[0-9]+$/.test(lastEventId) ? Number(lastEventId) : undefined);
  sink.comment(`faultline lab trace; seed ${lab.seed}`);
  let replayedUpTo = 0;
  if (from !== undefined) {
    for (const line of lab.trace({ since: from })) {
      sink.send(line.seq, line);
      replayedUpTo = line.seq;
    }
  }
  return lab.subscribe((line) => {
    if (line.seq > replayedUpTo) sink.send(line.seq, line);
  });
}
