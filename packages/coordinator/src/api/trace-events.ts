/**
 * `GET /events`: the trace as server-sent events, one TraceLine per event (`id:` its seq, so a
 * browser's EventSource resumes with `Last-Event-ID`); `?since=SEQ` first replays the lines after SEQ.
 *
 * A client is a cursor into the trace file: it is sent what the file has after its cursor, a
 * batch at a time, each batch only once the client took the one before; once it has caught up it
 * hears new lines as they are written, until its buffer is full, and then it catches up from the
 * file again. So a slow client loses nothing and costs the lab one buffer, never the trace.
 */
import type { EventSink, TraceLine } from '@faultline/protocol';
import type { LabPort } from './lab-port.js';

/** The most one catch-up write sends. */
const BATCH_BYTES = 64 * 1024;

/** Streams until the returned function is called (the client went, or the lab stops). */
export function streamTrace(lab: Pick<LabPort, 'seed' | 'lastSeq' | 'traceAfter' | 'subscribe'>, sink: EventSink<TraceLine>, since: number | undefined): () => void {
  const lastEventId = sink.lastEventId;
  const from = since ?? (lastEventId !== undefined && /^[0-9]+$/.test(lastEventId) ? Number(lastEventId) : undefined);
  sink.comment(`faultline lab trace; seed ${lab.seed}`);
  /** The seq of the last line sent. */
  let cursor = from ?? lab.lastSeq;
  let live = false;
  let stopped = false;
  /** Called when live sending ends: the client's buffer filled, or the stream stopped. */
  let wake: (() => void) | undefined;
  const unsubscribe = lab.subscribe((line) => {
    if (!live || line.seq <= cursor) return;
    cursor = line.seq;
    if (!sink.send(line.seq, line)) {
      live = false;
      wake?.();
    }
  });

  /** Sends the file's lines after the cursor; false when the client went. */
  const catchUp = async (): Promise<boolean> => {
    let batch: { id: number; json: string }[] = [];
    let bytes = 0;
    const flush = async (): Promise<boolean> => {
      const sent = batch;
      batch = [];
      bytes = 0;
      if (sent.length === 0) return !stopped;
      cursor = sent[sent.length - 1].id;
      return sink.sendJson(sent) || (await sink.drained());
    };
    for await (const { seq, json } of lab.traceAfter(cursor)) {
      if (stopped) return false;
      batch.push({ id: seq, json });
      bytes += json.length;
      if (bytes >= BATCH_BYTES && !(await flush())) return false;
    }
    return flush();
  };

  const pump = async (): Promise<void> => {
    while (!stopped) {
      while (cursor < lab.lastSeq) if (!(await catchUp()) || stopped) return;
      // Caught up, with nothing between this check and going live: the next line is heard.
      live = true;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (stopped || !(await sink.drained())) return;
    }
  };
  void pump().catch((err: unknown) => {
    sink.comment(`the trace could not be read: ${(err as Error).message}`);
    stopStream();
  });

  function stopStream(): void {
    stopped = true;
    live = false;
    unsubscribe();
    wake?.();
  }
  return stopStream;
}
