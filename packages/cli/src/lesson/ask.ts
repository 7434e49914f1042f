/**
 * The student's prediction at the terminal: asked until it is an answer (a choice's number or
 * words, or their own words when there are no choices). Ctrl-C while asked stops the lesson.
 */
import { createInterface } from 'node:readline';
import type { Lesson } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { parseAnswer, type Answer, type PredictionGiven } from '@faultline/lessons';

/**
 * The prediction a run has before it starts: `--predict` read as an answer (bad usage when it is
 * not one), none when nobody can be asked (`--no-pause`, `--json`, not a terminal: the reason
 * says how to give one), or undefined: ask at the terminal.
 */
export function predictionFromFlags(predict: Lesson['predict'], flags: { readonly pause: boolean; readonly predict?: string }, json: boolean): PredictionGiven | undefined {
  if (flags.predict !== undefined) {
    const parsed = parseAnswer(predict, flags.predict);
    if ('error' in parsed) throw new FaultlineError('bad-usage', `--predict: ${parsed.error}`);
    return { answer: parsed.answer };
  }
  if (flags.pause && !json && process.stdin.isTTY === true) return undefined;
  const how = predict.choices ? '--predict N' : '--predict "your words"';
  return { unanswered: `${json ? '--json' : !flags.pause ? '--no-pause' : 'not a terminal'}: give one with ${how}` };
}

export function promptText(predict: Lesson['predict']): string {
  const n = predict.choices?.length;
  return n === undefined ? 'Your prediction, in a few words: ' : `Your prediction (1-${n}, then Enter): `;
}

export async function askPrediction(predict: Lesson['predict'], options: { signal: AbortSignal; onInterrupt: () => void; say: (line: string) => void }): Promise<Answer> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // On a terminal, readline reads Ctrl-C itself: it reaches the lesson as if it were SIGINT.
  rl.on('SIGINT', options.onInterrupt);
  try {
    for (;;) {
      const typed = await new Promise<string>((resolve, reject) => {
        const onAbort = (): void => reject(new FaultlineError('interrupted', 'interrupted'));
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener('abort', onAbort, { once: true });
        rl.question(promptText(predict), (text) => {
          options.signal.removeEventListener('abort', onAbort);
          resolve(text);
        });
      });
      const parsed = parseAnswer(predict, typed);
      if ('answer' in parsed) return parsed.answer;
      options.say(`  ${parsed.error}`);
    }
  } finally {
    rl.close();
  }
}
