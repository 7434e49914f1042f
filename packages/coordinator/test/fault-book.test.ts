import { describe, expect, it } from 'vitest';
import { linkFaultsRequestSchema } from '@faultline/protocol';
import { FaultBook, type ToxicChange } from '../src/fault-book.js';
import { linkFaultChanges } from '../src/link-faults.js';
import { allLinks, link, nodeIds } from '../src/links.js';
import { cutLinks, partitionGroups } from '../src/partition.js';

const ids = nodeIds(3);
const show = (changes: ToxicChange[]): string[] => changes.map((c) => `${c.op} ${c.toxic.name} ${c.link.name}`).sort();

describe('FaultBook', () => {
  it('a partition adds one cut toxic (timeout 0, upstream) per cut link; heal removes them', () => {
    const book = new FaultBook(allLinks(ids));
    const changes = book.partition(cutLinks(partitionGroups(ids, [['n1']])));
    expect(show(changes)).toEqual(['add faultline-cut n1-n2', 'add faultline-cut n1-n3', 'add faultline-cut n2-n1', 'add faultline-cut n3-n1']);
    expect(changes[0].toxic).toEqual({ name: 'faultline-cut', type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } });
    expect(show(book.heal())).toEqual(['remove faultline-cut n1-n2', 'remove faultline-cut n1-n3', 'remove faultline-cut n2-n1', 'remove faultline-cut n3-n1']);
    expect(book.cut()).toEqual([]);
  });

  it('a new partition replaces the old one: only the difference changes', () => {
    const book = new FaultBook(allLinks(ids));
    book.partition(cutLinks(partitionGroups(ids, [['n1']])));
    const changes = book.partition(cutLinks(partitionGroups(ids, [['n1', 'n2']])));
    expect(show(changes)).toEqual(['add faultline-cut n2-n3', 'add faultline-cut n3-n2', 'remove faultline-cut n1-n2', 'remove faultline-cut n2-n1']);
  });

  it('a block cuts one direction; a link cut by both a block and a partition gets one toxic; heal ends both', () => {
    const book = new FaultBook(allLinks(ids));
    expect(show(book.block(link('n1', 'n2')))).toEqual(['add faultline-cut n1-n2']);
    expect(book.isCut(link('n2', 'n1'))).toBe(false);
    expect(show(book.partition(cutLinks(partitionGroups(ids, [['n1']]))))).toEqual(['add faultline-cut n1-n3', 'add faultline-cut n2-n1', 'add faultline-cut n3-n1']);
    expect(show(book.partition([]))).toEqual(['remove faultline-cut n1-n3', 'remove faultline-cut n2-n1', 'remove faultline-cut n3-n1']);
    expect(book.isCut(link('n1', 'n2'))).toBe(true);
    expect(show(book.heal())).toEqual(['remove faultline-cut n1-n2']);
  });

  it('setting a fault again updates its toxic; clear removes link faults but not cuts', () => {
    const book = new FaultBook(allLinks(ids));
    const l = link('n1', 'n2');
    const faults = (r: object) => linkFaultChanges(linkFaultsRequestSchema.parse(r));
    expect(show(book.setFaults(l, faults({ latencyMs: 100 })))).toEqual(['add faultline-latency n1-n2']);
    expect(show(book.setFaults(l, faults({ latencyMs: 300, dropPct: 5 })))).toEqual(['add faultline-drop n1-n2', 'update faultline-latency n1-n2']);
    book.block(l);
    expect(book.describe(l)).toEqual(['cut', 'latency 300ms', 'drop 5%']);
    expect(show(book.clear([l]))).toEqual(['remove faultline-drop n1-n2', 'remove faultline-latency n1-n2']);
    expect(book.describe(l)).toEqual(['cut']);
  });

  it('hold twice or release unheld is a conflict', () => {
    const book = new FaultBook(allLinks(ids));
    const l = link('n2', 'n3');
    expect(show(book.hold(l))).toEqual(['add faultline-hold n2-n3']);
    expect(() => book.hold(l)).toThrow(expect.objectContaining({ code: 'conflict' }) as Error);
    expect(show(book.release(l))).toEqual(['remove faultline-hold n2-n3']);
    expect(() => book.release(l)).toThrow(expect.objectContaining({ code: 'conflict' }) as Error);
  });
});
