/**
 * The student's prediction (pure): what they typed read as an answer (a choice's number or words,
 * or their own words when the question has no choices), then set beside what the lesson file says
 * happens, in the line the reveal shows:
 *
 *   you predicted 1 (Yes, the three timeouts look different); it was 3 (No, the three look
 *   exactly the same to n1): not this time
 */
import type { Lesson } from '@faultline/protocol';

type Predict = Lesson['predict'];

/** An answer: a choice (its number, 1 = the first, and its words) or words alone. */
export interface Answer {
  readonly choice?: number;
  readonly text: string;
}

/** What the run was given before it started: an answer, or why there is none. */
export type PredictionGiven = { readonly answer: Answer } | { readonly unanswered: string };

export interface PredictionRecord {
  /** The student's answer; absent when nobody answered. */
  readonly answer?: Answer;
  /** Why there is no answer (`--no-pause`, not a terminal …). */
  readonly unanswered?: string;
  /** What the lesson file says happens. */
  readonly expected?: Answer;
  /** The answer was the right choice (only when both are choices). */
  readonly correct?: boolean;
  /** "you predicted X; it was Y" for the reveal. */
  readonly line: string;
}

const choiceRange = (choices: readonly string[]): string => `1 to ${choices.length}`;

/** What the student typed (or gave with --predict), as an answer to `predict`, or what is wrong with it. */
export function parseAnswer(predict: Predict, input: string): { answer: Answer } | { error: string } {
  const text = input.trim().replace(/\s+/g, ' ');
  const choices = predict.choices;
  if (!choices) return text === '' ? { error: 'expected an answer in words, got nothing' } : { answer: { text } };
  if (text === '') return { error: `expected a choice from ${choiceRange(choices)}, got nothing` };
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= choices.length ? { answer: { choice: n, text: choices[n - 1] } } : { error: `expected a choice from ${choiceRange(choices)}, got ${text}` };
  }
  const i = choices.findIndex((c) => c.toLowerCase() === text.toLowerCase());
  if (i >= 0) return { answer: { choice: i + 1, text: choices[i] } };
  return { error: `expected a choice from ${choiceRange(choices)} (or a choice's words), got "${text}"` };
}

/**
 * An answer that came whole (the control API's body: a choice's number and words, or words),
 * checked against `predict`: the choice is one of its choices and its words are that choice's
 * (case and spaces aside), or the words answer it as typed words would. The error names the field.
 */
export function checkAnswer(predict: Predict, given: Answer): { answer: Answer } | { error: string } {
  if (given.choice === undefined) {
    const parsed = parseAnswer(predict, given.text);
    return 'error' in parsed ? { error: `text: ${parsed.error}` } : parsed;
  }
  if (!predict.choices) return { error: `choice: this question has no choices: answer in words (text), got choice ${given.choice}` };
  const parsed = parseAnswer(predict, String(given.choice));
  if ('error' in parsed) return { error: `choice: ${parsed.error}` };
  const words = given.text.trim().replace(/\s+/g, ' ');
  if (words.toLowerCase() !== parsed.answer.text.toLowerCase()) return { error: `text: choice ${given.choice} is "${parsed.answer.text}", got "${words}"` };
  return parsed;
}

/** What the lesson file says happens, as an answer. */
export function expectedAnswer(predict: Predict): Answer | undefined {
  const a = predict.answer;
  if (a === undefined) return undefined;
  if (typeof a === 'number') return predict.choices?.[a - 1] === undefined ? undefined : { choice: a, text: predict.choices[a - 1] };
  return { text: a };
}

const say = (a: Answer): string => (a.choice === undefined ? `"${a.text}"` : `${a.choice} (${a.text})`);

/** The prediction beside what happened; `passed` says whether the run went as the lesson expects. */
export function judgePrediction(predict: Predict, given: PredictionGiven, passed: boolean): PredictionRecord {
  const expected = expectedAnswer(predict);
  const answer = 'answer' in given ? given.answer : undefined;
  const unanswered = 'unanswered' in given ? given.unanswered : undefined;
  const correct = answer?.choice !== undefined && expected?.choice !== undefined ? answer.choice === expected.choice : undefined;
  const predicted = answer ? `you predicted ${say(answer)}` : `no prediction (${unanswered})`;
  let line: string;
  if (!expected) line = `${predicted}; this lesson names no answer: set it beside the reveal`;
  else if (!passed) line = `${predicted}; the lesson expects ${say(expected)}, but not every expectation held this run (see the verdict)`;
  else line = `${predicted}; it was ${say(expected)}${correct === undefined ? '' : correct ? ': right' : ': not this time'}`;
  return { ...(answer ? { answer } : {}), ...(unanswered === undefined ? {} : { unanswered }), ...(expected ? { expected } : {}), ...(correct === undefined ? {} : { correct }), line };
}
