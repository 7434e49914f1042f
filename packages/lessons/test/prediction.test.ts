/** The student's prediction read and set beside what happens; lessons found in a folder of one's own. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLesson, judgePrediction, LESSONS_DIR, listLessons, parseAnswer } from '../src/index.js';

const predict = { question: 'What will the counters read?', choices: ['1 and 1', '2 and 1', '2 and 2'], answer: 2 };

describe('the prediction', () => {
  it('an answer is a choice by number or by its words; anything else says what was expected', () => {
    expect(parseAnswer(predict, ' 2 ')).toEqual({ answer: { choice: 2, text: '2 and 1' } });
    expect(parseAnswer(predict, '2 AND 2')).toEqual({ answer: { choice: 3, text: '2 and 2' } });
    expect(parseAnswer(predict, '')).toEqual({ error: 'expected a choice from 1 to 3, got nothing' });
    expect(parseAnswer(predict, '4')).toEqual({ error: 'expected a choice from 1 to 3, got 4' });
    expect(parseAnswer(predict, 'lots')).toEqual({ error: 'expected a choice from 1 to 3 (or a choice\'s words), got "lots"' });
    expect(parseAnswer({ question: 'Will it arrive?' }, '  it will  not ')).toEqual({ answer: { text: 'it will not' } });
    expect(parseAnswer({ question: 'Will it arrive?' }, ' ')).toEqual({ error: 'expected an answer in words, got nothing' });
  });

  it('"you predicted X; it was Y", right or not; no answer says why; a run that went wrong says so', () => {
    expect(judgePrediction(predict, { answer: { choice: 3, text: '2 and 2' } }, true)).toEqual({
      answer: { choice: 3, text: '2 and 2' },
      expected: { choice: 2, text: '2 and 1' },
      correct: false,
      line: 'you predicted 3 (2 and 2); it was 2 (2 and 1): not this time',
    });
    expect(judgePrediction(predict, { answer: { choice: 2, text: '2 and 1' } }, true)).toMatchObject({ correct: true, line: 'you predicted 2 (2 and 1); it was 2 (2 and 1): right' });
    expect(judgePrediction(predict, { unanswered: '--no-pause' }, true)).toEqual({ unanswered: '--no-pause', expected: { choice: 2, text: '2 and 1' }, line: 'no prediction (--no-pause); it was 2 (2 and 1)' });
    expect(judgePrediction(predict, { answer: { choice: 2, text: '2 and 1' } }, false).line).toBe(
      'you predicted 2 (2 and 1); the lesson expects 2 (2 and 1), but not every expectation held this run (see the verdict)',
    );
    expect(judgePrediction({ question: 'Will it arrive?', answer: 'no' }, { answer: { text: 'yes' } }, true).line).toBe('you predicted "yes"; it was "no"');
    expect(judgePrediction({ question: 'Will it arrive?' }, { answer: { text: 'yes' } }, true).line).toBe('you predicted "yes"; this lesson names no answer: set it beside the reveal');
  });

  it('every shipped lesson names its answer, and its text before the prediction does not give it away', () => {
    for (const { lesson } of listLessons()) {
      expect(lesson.predict.choices?.[Number(lesson.predict.answer) - 1], lesson.name).toBeDefined();
    }
    const [ambiguity, slow, dup] = listLessons().map((l) => l.lesson);
    // What the student reads before answering: the title, the context, the question and choices.
    const before = (l: typeof ambiguity): string => [l.title, l.context, l.predict.question].join('\n');
    expect(before(ambiguity)).not.toMatch(/look(s)? (exactly )?the same|cannot tell/);
    expect(before(slow)).not.toMatch(/twice|only once|late, not lost/);
    expect(before(dup)).not.toMatch(/undo|waits for the gap|ignores/);
  });
});

describe('lessons in a folder of ones own (--lessons DIR)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-own-lessons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const own = readFileSync(join(LESSONS_DIR, '01-ambiguity.yaml'), 'utf8').replace('name: ambiguity', 'name: my-ambiguity');

  it('are listed after the built-in ones and found by name', () => {
    writeFileSync(join(dir, 'mine.yaml'), own);
    expect(listLessons(dir).map((l) => l.lesson.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering', 'skew-breaks-lww', 'lamport-order', 'vector-clocks', 'hybrid-clocks', 'clock-sync', 'why-distribute', 'partial-failure', 'failure-detection', 'split-brain', 'my-ambiguity']);
    expect(findLesson('my-ambiguity', dir).file).toBe(join(dir, 'mine.yaml'));
    expect(findLesson('mine', dir).lesson.name).toBe('my-ambiguity');
    expect(() => findLesson('my-ambiguity')).toThrow(/no lesson called "my-ambiguity"/);
  });

  it('a name twice, or a folder that is not there: one line saying which', () => {
    const twice = mkdtempSync(join(tmpdir(), 'faultline-own-lessons-'));
    try {
      writeFileSync(join(twice, 'again.yaml'), own.replace('name: my-ambiguity', 'name: ambiguity'));
      expect(() => listLessons(twice)).toThrow(`two lessons are called "ambiguity": ${join(LESSONS_DIR, '01-ambiguity.yaml')} and ${join(twice, 'again.yaml')} (rename one)`);
    } finally {
      rmSync(twice, { recursive: true, force: true });
    }
    expect(() => listLessons(join(dir, 'nowhere'))).toThrow(`--lessons ${join(dir, 'nowhere')}: no such folder`);
  });
});
