/**
 * The trace file of a finished run is a linear extension of happened-before: every line parses,
 * seq follows the file, every receive comes after its send, each node's events in its own order,
 * and no line has seen more of another node than the lines before it (`checkTraceOrder`).
 */
import { readFileSync } from 'node:fs';
import { checkTraceOrder } from '@faultline/checkers';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { expect } from 'vitest';

export function expectCausalTrace(file: string): TraceLine[] {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
  expect(lines.length, `${file} is empty`).toBeGreaterThan(0);
  expect(checkTraceOrder(lines), `${file} is not in causal order`).toEqual([]);
  return lines;
}
