/**
 * The student's prediction at the terminal: asked until it is an answer (a choice's number or
 * words, or their own words when there are no choices). Ctrl-C while asked stops the lesson.
 */
import { createInterface } from 'node:readline';
import type { Lesson } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { parseAnswer, type Answer } from '@faultline/lessons';

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
