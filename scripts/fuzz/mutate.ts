/** Seeded mutations of text (pure): bytes, lines, and values changed, dropped or repeated. */
import type { Rng } from '@faultline/random';

const ODD_VALUES = ['-1', '0', '1e309', '99999999999999999999', 'null', '~', '""', "''", '[]', '{}', 'true', 'NaN', '.inf', '-.inf', '"\u0000"', '*anchor', '&a [*a]', '!!binary AAAA', '"n0"', 'n99999', '"1ms"', '"-5s"', '"%"', '"\\ud800"', '[1, [2, [3]]]', "'a'\n  - b", '"💥"'];
const ODD_CHARS = [':', '-', ' ', '\t', '\n', '"', "'", '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', ',', '%', '@', '`', '\u0000', '\u00ff', '\ufeff'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

/** One to three mutations of `text`. */
export function mutateText(rng: Rng, text: string): string {
  let t = text;
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) t = mutateOnce(rng, t);
  return t;
}

function mutateOnce(rng: Rng, text: string): string {
  const lines = text.split('\n');
  const i = rng.int(Math.max(1, lines.length));
  const at = rng.int(Math.max(1, text.length));
  switch (rng.int(9)) {
    case 0: // a character inserted
      return text.slice(0, at) + pick(rng, ODD_CHARS) + text.slice(at);
    case 1: // a run of characters deleted
      return text.slice(0, at) + text.slice(at + 1 + rng.int(20));
    case 2: // truncated
      return text.slice(0, at);
    case 3: // a line deleted
      return [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
    case 4: // a line repeated
      return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
    case 5: // a line's indentation changed
      return lines.map((l, j) => (j === i ? (rng.int(2) === 0 ? `  ${l}` : l.replace(/^ {1,2}/, '')) : l)).join('\n');
    case 6: {
      // a value replaced with an odd one
      return lines.map((l, j) => (j === i ? l.replace(/:\s.*$/, `: ${pick(rng, ODD_VALUES)}`) : l)).join('\n');
    }
    case 7: {
      // a number changed
      return text.replace(/\d+/g, (m) => (rng.int(8) === 0 ? pick(rng, ['-1', '0', '1e309', '4294967296', '0.5', m + m]) : m));
    }
    default: {
      // two lines swapped
      const j = rng.int(Math.max(1, lines.length));
      const copy = [...lines];
      [copy[i], copy[j]] = [copy[j], copy[i]];
      return copy.join('\n');
    }
  }
}
