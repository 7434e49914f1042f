import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClockStamp, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import { expect, it } from 'vitest';
import { TraceRecorder } from '../src/trace-recorder.js';

const stamp = (lamport: number): ClockStamp => ({ trueMs: 1_000 + lamport, wallMs: 1_000 + lamport, lamport, vc: { n1: lamport }, hlc: { wallMs: 1_000 + lamport, logical: 0 } });
const send = (i: number): { clocks: ClockStamp; event: NodeTraceEvent } => ({ clocks: stamp(i), event: { kind: 'send', to: 'n2', msg: `n1-${i}`, msgType: 'burst', size: 9 } });

it('a batch of node events: on disk, in order, before any subscriber hears of it; one that leaves hears no more', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-recorder-'));
  try {
    const recorder = new TraceRecorder(join(dir, 'trace.ndjson'));
    const heard: string[] = [];
    const onDiskWhenHeard: number[] = [];
    recorder.subscribe((line) => {
      heard.push(`a${line.seq}`);
      onDiskWhenHeard.push(readFileSync(recorder.file, 'utf8').trimEnd().split('\n').length);
    });
    const unsubscribe = recorder.subscribe((line) => {
      heard.push(`b${line.seq}`);
      if (line.seq === 2) unsubscribe();
    });
    const lines = recorder.nodeEvents('n1', [send(1), send(2), send(3)]);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(heard).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(onDiskWhenHeard).toEqual([3, 3, 3]);
    recorder.lab({ kind: 'pause' }, { node: 'n1', trueMs: 5 });
    const file = readFileSync(recorder.file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as TraceLine);
    expect(file).toEqual(recorder.lines());
    expect(file.at(-1)).toMatchObject({ seq: 4, kind: 'pause', clocks: stamp(3) });
    recorder.close();
    expect(recorder.nodeEvents('n1', [send(4)])).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
