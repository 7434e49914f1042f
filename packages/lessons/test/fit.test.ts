/** Text and tables fitted to a terminal's width: no line longer than the width, no word split. */
import { describe, expect, it } from 'vitest';
import { fitTable, listLessons, reflow, renderExplanation, terminalWidth, unwrap, visibleWidth, wrapLine } from '../src/index.js';
import type { CheckResult } from '../src/index.js';

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');
const longest = (lines: readonly string[]): number => Math.max(...lines.map(visibleWidth));

/** Every lesson's own text, as the terminal shows it. */
const texts = listLessons().flatMap(({ lesson: l }) => [l.teaches, l.context, l.predict.question, ...(l.predict.choices ?? []), l.explain]);

describe('fitting text to the terminal', () => {
  it('the width: COLUMNS, else the terminal, else 80', () => {
    expect(terminalWidth({ COLUMNS: '60' }, { isTTY: true, columns: 120 })).toBe(60);
    expect(terminalWidth({}, { isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({}, { isTTY: false, columns: 120 })).toBe(80);
    expect(terminalWidth({ COLUMNS: 'wide' }, {})).toBe(80);
  });

  for (const width of [80, 60]) {
    it(`every lesson's text at ${width} columns: no line longer, no word split, paragraphs and list items kept`, () => {
      for (const text of texts) {
        const out = reflow(text, width, '  ');
        expect(longest(out.split('\n')), out).toBeLessThanOrEqual(width);
        expect(words(out)).toEqual(words(text));
        expect(out.split('\n\n')).toHaveLength(text.trim().split(/\n\s*\n/).length);
      }
      const ambiguity = reflow(listLessons()[0].lesson.explain, width, '  ');
      expect(ambiguity).toMatch(/\n {2}- B reached n2/);
      expect(ambiguity).toMatch(/\n {4}\S/); // a list item's second line hangs under its words
    });
  }

  it('an explanation gets its figures first, then is folded: a long figure never makes a line overflow', () => {
    const explain = listLessons()[0].lesson.explain;
    const value = 'timeout after 2.002s, 1 attempt; timeout after 2.001s, 1 attempt; timeout after 2.003s, 1 attempt';
    const checks: CheckResult[] = [
      { name: 'same-view', check: 'same_sender_view', held: true, evidence: '', value },
      { name: 'work-done', check: 'count', held: true, evidence: '', value: 1 },
    ];
    const filled = renderExplanation(explain, { seed: '101', rpcs: new Map(), checks });
    expect(filled).toContain(`n1 saw the same thing three times: ${value}. Nothing`);
    // One line a paragraph or list item: whoever shows it folds it to their width.
    expect(filled.split('\n')).toContain('- C reached n2 and the work was done (1 request processed in the whole run); only the answer was lost on the way back.');
    for (const width of [80, 60]) {
      const out = reflow(filled, width, '  ').split('\n');
      expect(longest(out)).toBeLessThanOrEqual(width);
      expect(words(out.join('\n'))).toEqual(words(filled));
    }
  });

  it('a line keeps its own spacing, breaks only at spaces, and hangs under its indent', () => {
    const line = '12:00:03.512 n1   → n2  ping n1-1 and a tail long enough to need a second line';
    expect(wrapLine(line, 40, { indent: '      ', hang: '          ' })).toEqual([
      '      12:00:03.512 n1   → n2  ping n1-1',
      '          and a tail long enough to need',
      '          a second line',
    ]);
    expect(wrapLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']); // only a word longer than a line is broken
    expect(unwrap('one\ntwo\n\n- a\n  b\n- c')).toBe('one two\n\n- a b\n- c');
  });
});

describe('a table that fits', () => {
  const rows = [
    ['A\nn1-1', 'n1: no reply within 2s', 'request dropped on the link: the proxy dropped the request on the link n1→n2 (+25ms); n2 never saw it'],
    ['B\nn1-2', 'n1: no reply within 2s', 'receiver crashed before processing: n2 got it (+8ms) and was killed (+41ms) before it had processed it: the work was never done'],
    ['C #2\nn1-13', 'n1: no reply within 1s', 'processed, reply arrived late: n2 processed it (+1.011s) and replied; the proxy held the reply on the link n2→n1 until it was released'],
  ];
  const head = ['call', 'what the sender saw', 'what really happened (the trace)'];

  /** Each column's words, read back from the drawn table, row by row. */
  function cellsOf(lines: string[]): string[][] {
    const out: string[][] = [];
    let current: string[] | undefined;
    for (const l of lines) {
      if (!l.startsWith('│')) {
        current = undefined;
        continue;
      }
      const parts = l.slice(1, -1).split('│');
      if (!current) out.push((current = parts.map(() => '')));
      parts.forEach((p, i) => (current![i] += ` ${p}`));
    }
    return out;
  }

  for (const width of [80, 60]) {
    it(`at ${width} columns: every line exactly fits, every word whole in its own cell`, () => {
      const lines = fitTable(head, rows, width);
      expect(longest(lines)).toBeLessThanOrEqual(width);
      expect(new Set(lines.map(visibleWidth)).size).toBe(1); // a box: every line as wide
      const cells = cellsOf(lines);
      expect(cells.map((r) => r.map(words))).toEqual([head, ...rows].map((r) => r.map(words)));
    });
  }

  it('a table that fits as it is keeps its columns as wide as their cells', () => {
    expect(fitTable(['name', 'minutes'], [['ambiguity', '3']], 80)).toEqual([
      '┌───────────┬─────────┐',
      '│ name      │ minutes │',
      '├───────────┼─────────┤',
      '│ ambiguity │ 3       │',
      '└───────────┴─────────┘',
    ]);
  });
});
