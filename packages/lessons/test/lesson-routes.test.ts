/**
 * The lessons' routes on a running lab (lesson-routes.ts): the prediction a run's body gives,
 * checked against the lesson's question before anything starts; the list a client asks from.
 */
import { FaultlineError, lessonRunRequestSchema, lessonSummarySchema, parseWith } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { checkAnswer, FROM_THE_PAGE, findLesson, lessonRoutes, predictionOf } from '../src/index.js';

const predict = { question: 'What will the counters read?', choices: ['1 and 1', '2 and 1', '2 and 2'], answer: 2 };
const words = { question: 'Will it arrive?' };

/** The route's validation as the server does it: the body against its schema, then the answer against the lesson. */
function given(p: typeof predict | typeof words, body: unknown) {
  const parsed = parseWith(lessonRunRequestSchema, body, 'body');
  if (!parsed.ok) return { error: parsed.error };
  try {
    return predictionOf(p, parsed.value);
  } catch (err) {
    expect(err).toBeInstanceOf(FaultlineError);
    expect((err as FaultlineError).code).toBe('bad-request');
    return { error: (err as FaultlineError).message };
  }
}

describe('POST /lessons/{name}/run: the prediction in its body', () => {
  it('no body (the page) runs with none, and says why; an answer or a reason is passed on as given', () => {
    expect(given(predict, {})).toEqual({ unanswered: FROM_THE_PAGE });
    expect(FROM_THE_PAGE).toBe('run from the dashboard, which does not ask for one');
    expect(given(predict, { answer: { choice: 3, text: '2 and 2' } })).toEqual({ answer: { choice: 3, text: '2 and 2' } });
    expect(given(predict, { unanswered: '--no-pause: give one with --predict N' })).toEqual({ unanswered: '--no-pause: give one with --predict N' });
    expect(given(words, { answer: { text: '  it will  not ' } })).toEqual({ answer: { text: 'it will not' } });
  });

  it('an answer is checked against the lesson: the choice in range, its words that choice\'s (case and spaces aside), words that name a choice become it', () => {
    expect(given(predict, { answer: { choice: 2, text: ' 2 AND 1' } })).toEqual({ answer: { choice: 2, text: '2 and 1' } });
    expect(given(predict, { answer: { text: '2 and 2' } })).toEqual({ answer: { choice: 3, text: '2 and 2' } });
    expect(given(predict, { answer: { choice: 4, text: '3 and 3' } })).toEqual({ error: 'body.answer.choice: expected a choice from 1 to 3, got 4' });
    expect(given(predict, { answer: { choice: 1, text: '2 and 2' } })).toEqual({ error: 'body.answer.text: choice 1 is "1 and 1", got "2 and 2"' });
    expect(given(predict, { answer: { text: 'lots' } })).toEqual({ error: 'body.answer.text: expected a choice from 1 to 3 (or a choice\'s words), got "lots"' });
    expect(given(words, { answer: { choice: 1, text: 'yes' } })).toEqual({ error: 'body.answer.choice: this question has no choices: answer in words (text), got choice 1' });
    expect(checkAnswer(words, { text: '   ' })).toEqual({ error: 'text: expected an answer in words, got nothing' });
  });

  it('a body of the wrong shape is refused in one line that names the field', () => {
    const bad = [
      given(predict, { answer: { choice: 0, text: 'x' } }),
      given(predict, { answer: { choice: 'two', text: 'x' } }),
      given(predict, { answer: { choice: 2 } }),
      given(predict, { answer: { choice: 2, text: '2 and 1' }, unanswered: 'both' }),
      given(predict, { prediction: 2 }),
      given(predict, { answer: { text: 'x'.repeat(1001) } }),
    ];
    for (const b of bad) expect(b).toEqual({ error: expect.stringMatching(/^body[.:][^\n]+$/) as string });
    expect(bad.map((b) => ('error' in b ? b.error.split(':')[0] : ''))).toEqual(['body.answer.choice', 'body.answer.choice', 'body.answer.text', 'body', 'body.prediction', 'body.answer.text']);
  });
});

describe('GET /lessons', () => {
  it('lists each lesson with its context and question, never its answer', async () => {
    const routes = lessonRoutes();
    const list = lessonSummarySchema.array().parse(await routes.handlers.lessons({ ctx: undefined as never, params: {}, query: undefined, body: undefined, afterAnswer: () => undefined }, undefined as never));
    const clockSync = list.find((l) => l.name === 'clock-sync');
    const { lesson } = findLesson('clock-sync');
    expect(clockSync).toEqual({ name: 'clock-sync', title: lesson.title, concept: lesson.concept, minutes: lesson.minutes, nodes: 2, context: lesson.context, predict: { question: lesson.predict.question, choices: lesson.predict.choices } });
    expect(JSON.stringify(list)).not.toContain('"answer"');
  });
});
