/**
 * The trace's memory is bounded: only the newest lines are kept (by lines and by bytes), and any
 * question about older ones is answered from the file, the same as if all were kept; a replay
 * reads the file a chunk at a time. The pure parts (tail, offsets) and the recorder on a real file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClockStamp, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { readLines, readLinesSync } from '../src/trace-file-reader.js';
import { TraceOffsets } from '../src/trace-offsets.js';
import { TraceRecorder } from '../src/trace-recorder.js';
import { TraceTail } from '../src/trace-tail.js';

const stamp = (lamport: number): ClockStamp => ({ trueMs: 1_000 + lamport, wallMs: 1_000 + lamport, lamport, vc: { n1: lamport }, hlc: { wallMs: 1_000 + lamport, logical: 0 } });
/** A send whose message type has a multi-byte character, so bytes and characters differ. */
const send = (i: number): { clocks: ClockStamp; event: NodeTraceEvent } => ({ clocks: stamp(i), event: { kind: 'send', to: i % 2 ? 'n2' : 'n3', msg: `n1-${i}`, msgType: 'pïng', size: 9 } });
const line = (seq: number): TraceLine => ({ seq, trueMs: seq, kind: 'pause', node: 'n1' });

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-trace-memory-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('TraceTail', () => {
  it('keeps at most maxLines lines and maxBytes bytes, the newest; always the newest one', () => {
    const tail = new TraceTail(3, 100);
    for (let seq = 1; seq <= 5; seq++) tail.push(line(seq), 10);
    expect(tail.after(0).map((l) => l.seq)).toEqual([3, 4, 5]);
    expect([tail.firstSeq, tail.bytes, tail.covers(2), tail.covers(1)]).toEqual([3, 30, true, false]);
    tail.push(line(6), 85);
    expect(tail.after(0).map((l) => l.seq)).toEqual([5, 6]);
    tail.push(line(7), 500);
    expect(tail.after(0).map((l) => l.seq)).toEqual([7]);
    expect(tail.after(6).map((l) => l.seq)).toEqual([7]);
    expect(tail.after(7)).toEqual([]);
  });

  it('stays small over many lines (the dropped ones are let go in bulk)', () => {
    const tail = new TraceTail(10, 1_000_000);
    for (let seq = 1; seq <= 100_000; seq++) tail.push(line(seq), 1);
    expect(tail.after(0).map((l) => l.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 99_991 + i));
    expect((tail as unknown as { lines: unknown[] }).lines.length).toBeLessThan(2_100);
  });
});

describe('TraceOffsets', () => {
  it('finds an indexed line at or before the one after since', () => {
    const offsets = new TraceOffsets(4);
    expect(offsets.startFor(10)).toEqual({ seq: 0, offset: 0 });
    for (let seq = 1; seq <= 20; seq++) offsets.add(seq, seq * 100);
    expect(offsets.startFor(0)).toEqual({ seq: 1, offset: 100 });
    expect(offsets.startFor(4)).toEqual({ seq: 5, offset: 500 });
    expect(offsets.startFor(7)).toEqual({ seq: 5, offset: 500 });
    expect(offsets.startFor(99)).toEqual({ seq: 17, offset: 1700 });
  });
});

describe('reading the file back', () => {
  it('whole lines between two offsets, a multi-byte character split across chunks intact', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 't');
      const lines = Array.from({ length: 3_000 }, (_, i) => `{"seq":${i + 1},"text":"${'ï'.repeat(i % 97)}"}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const size = Buffer.byteLength(readFileSync(file));
      expect(readLinesSync(file, 0, size)).toEqual(lines);
      const read: string[] = [];
      for await (const l of readLines(file, 0, size)) read.push(l);
      expect(read).toEqual(lines);
      expect(readLinesSync(file, 5, 5)).toEqual([]);
    });
  });
});

describe('TraceRecorder with a small tail', () => {
  it('answers every question as the file does: whole, since any seq, filtered; and replays from any seq', async () => {
    await withDir(async (dir) => {
      const recorder = new TraceRecorder(join(dir, 'trace.ndjson'), { tailLines: 50, tailBytes: 4_000 });
      for (let i = 1; i <= 1_000; i += 10) recorder.nodeEvents('n1', Array.from({ length: 10 }, (_, k) => send(i + k)));
      recorder.lab({ kind: 'pause' }, { node: 'n1' });
      const file = readFileSync(recorder.file, 'utf8').trimEnd().split('\n');
      const all = file.map((l) => JSON.parse(l) as TraceLine);
      expect(all).toHaveLength(1_001);
      expect(recorder.writtenSeq).toBe(1_001);
      // Memory holds the newest few: whatever else is asked for comes from the file.
      expect(recorder.lines({ since: 990 })).toEqual(all.slice(990));
      expect(recorder.lines()).toEqual(all);
      for (const since of [0, 1, 63, 64, 65, 500, 950, 985, 1_000, 1_001, 5_000]) expect(recorder.lines({ since })).toEqual(all.slice(since));
      expect(recorder.lines({ node: 'n1', kinds: ['pause'] })).toEqual([all[1_000]]);
      expect(recorder.lines({ since: 100, msgs: ['n1-2', 'n1-101', 'n1-999'] }).map((l) => l.seq)).toEqual([101, 999]);
      for (const since of [0, 64, 700, 1_001]) {
        const replay: string[] = [];
        for await (const raw of recorder.linesAfter(since)) {
          expect(raw.seq).toBe(since + replay.length + 1);
          replay.push(raw.json);
        }
        expect(replay).toEqual(file.slice(since));
      }
      recorder.close();
      // Closed, it still answers from the file.
      expect(recorder.lines({ since: 10 })).toEqual(all.slice(10));
    });
  });
});
