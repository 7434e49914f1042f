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
    recorder.nodeEvents('n1', [send(1), send(2), send(3)]);
    expect(recorder.lines().map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(heard).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(onDiskWhenHeard).toEqual([3, 3, 3]);
    recorder.lab({ kind: 'pause' }, { node: 'n1', trueMs: 5 });
    const file = readFileSync(recorder.file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as TraceLine);
    expect(file).toEqual(recorder.lines());
    expect(file.at(-1)).toMatchObject({ seq: 4, kind: 'pause', clocks: stamp(3) });
    recorder.close();
    recorder.nodeEvents('n1', [send(4)]);
    expect(recorder.lines()).toHaveLength(4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("a receive heard before its send is written after it, seq following the file; a reply waits for the node's lines", () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-recorder-'));
  try {
    const recorder = new TraceRecorder(join(dir, 'trace.ndjson'));
    const at = (vc: Record<string, number>, lamport: number): ClockStamp => ({ ...stamp(lamport), vc });
    const order: string[] = [];
    recorder.nodeEvents('n2', [{ clocks: at({ n1: 1, n2: 1 }, 2), event: { kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'ping', size: 9, sentWall: 0 } }]);
    recorder.whenWritten('n2', () => order.push(`n2's reply answered with ${recorder.lines().length} lines written`));
    recorder.lab({ kind: 'pause' }, { node: 'n2', trueMs: 5 });
    expect(recorder.lines()).toEqual([]);
    recorder.nodeEvents('n1', [{ clocks: at({ n1: 1 }, 1), event: { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 9 } }]);
    const file = readFileSync(recorder.file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as TraceLine);
    expect(file.map((l) => [l.seq, l.kind, l.node])).toEqual([
      [1, 'send', 'n1'],
      [2, 'receive', 'n2'],
      [3, 'pause', 'n2'],
    ]);
    expect(order).toEqual(["n2's reply answered with 3 lines written"]);
    recorder.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
