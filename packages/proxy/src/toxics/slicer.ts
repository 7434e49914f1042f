import type { Rng } from '@faultline/random';
import type { Action, ToxicDefinition } from './toxic.js';

export interface SlicerAttributes { average_size: number; size_variation: number; delay: number }

/**
 * Toxiproxy's recursive split: halve [start, end) (moved by up to ±size_variation) until a piece is
 * within size_variation of average_size. Returns the cut points. Unlike Toxiproxy, which recurses
 * forever on `average_size` 0 (a stack overflow that kills the server) or slices out of bounds when
 * size_variation exceeds half a piece, pieces are never empty and never cross their parent.
 * `average_size` 0 (or below) means 1-byte pieces; the stage that carries them out writes at most
 * MAX_ACTIONS_PER_TURN of them per turn of the event loop, so other links never wait on them.
 */
export function slicePoints(length: number, attrs: SlicerAttributes, rng: Rng): number[] {
  const averageSize = Math.max(1, attrs.average_size);
  const variation = Math.max(0, attrs.size_variation);
  // One-byte pieces (average_size 0 or 1, no variation): the split below would give the same.
  if (averageSize + variation <= 1) return Array.from({ length: length + 1 }, (_, i) => i);
  const points: number[] = [0];
  const split = (start: number, end: number): void => {
    if (end - start - averageSize <= variation || end - start <= 1) {
      points.push(end);
      return;
    }
    let mid = start + Math.floor((end - start) / 2);
    if (variation > 0) mid += rng.int(variation * 2) - variation;
    mid = Math.min(end - 1, Math.max(start + 1, mid));
    split(start, mid);
    split(mid, end);
  };
  if (length > 0) split(0, length);
  return points;
}

/** Slices every chunk into smaller ones of about `average_size` bytes, `delay` µs apart. */
export const slicer: ToxicDefinition<SlicerAttributes> = {
  type: 'slicer',
  goName: 'SlicerToxic',
  attributes: { average_size: 'int', size_variation: 'int', delay: 'int' },
  description: 'slices data into pieces of average_size ± size_variation bytes, delay µs apart',
  // At most ~4,096 pieces cut ahead (reads are any size anyway, so where one is cut is free).
  maxFeedBytes: (attrs) => Math.max(4096, 4096 * (Math.max(1, attrs.average_size) + Math.max(0, attrs.size_variation))),
  create(attrs, { rng }) {
    let freeAtMs = -Infinity;
    return {
      data(chunk, nowMs) {
        const points = slicePoints(chunk.data.length, attrs, rng);
        const actions: Action[] = [];
        let t = Math.max(nowMs, freeAtMs);
        const gapMs = Math.max(0, attrs.delay) / 1000;
        for (let i = 1; i < points.length; i++) {
          actions.push({ type: 'emit', chunk: { ...chunk, data: chunk.data.subarray(points[i - 1], points[i]) }, atMs: t });
          t += gapMs;
        }
        freeAtMs = t;
        return actions;
      },
    };
  },
};
