/**
 * Text that fits the terminal (pure): the width to fit, the visible width of a string (colour
 * codes take no room), and wrapping at word boundaries with an indent and a hanging indent for
 * the lines after the first. A word longer than a whole line is the only thing ever broken.
 *
 *   reflow("- C reached n2 and the work was done\n  (1 request processed); only the answer…", 40)
 *   - C reached n2 and the work was done (1
 *     request processed); only the answer…
 */

/** Columns to fit: `COLUMNS` when set to a number, else the terminal's width, else 80. */
export function terminalWidth(env: { COLUMNS?: string }, stream: { isTTY?: boolean; columns?: number }): number {
  const given = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(given) && given >= 20) return given;
  if (stream.isTTY === true && stream.columns !== undefined && stream.columns >= 20) return stream.columns;
  return 80;
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const ANSI_PART = new RegExp(`(${ESC}\\[[0-9;]*m)`);

/** Columns a string takes on screen (colour codes take none; one column a code point). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** A word too long for any line, in pieces of `width` (its colour codes kept whole). */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const part of word.split(ANSI_PART)) {
    if (part.startsWith(`${ESC}[`)) {
      piece += part;
      continue;
    }
    for (const ch of part) {
      if (visibleWidth(piece) === width) {
        pieces.push(piece);
        piece = '';
      }
      piece += ch;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

export interface WrapOptions {
  /** Before the first line. */
  readonly indent?: string;
  /** Before every line after the first (default: as many spaces as `indent` is wide). */
  readonly hang?: string;
}

/**
 * One line of text in lines of at most `width` columns, broken only where it has spaces (the
 * spaces between words on one line are kept as they were: a trace line's columns stay aligned).
 */
export function wrapLine(text: string, width: number, options: WrapOptions = {}): string[] {
  const indent = options.indent ?? '';
  const hang = options.hang ?? ' '.repeat(visibleWidth(indent));
  // Words, each with the spaces before it.
  const words = [...text.trim().replace(/\n/g, ' ').matchAll(/(\s*)(\S+)/g)].map((m) => ({ gap: m[1], word: m[2] }));
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  const room = (): number => width - visibleWidth(lines.length === 0 ? indent : hang);
  for (const { gap, word } of words) {
    const w = visibleWidth(word);
    if (!empty && visibleWidth(line) + visibleWidth(gap) + w <= width) {
      line += gap + word;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = hang;
    }
    if (w <= room()) line += word;
    else {
      const pieces = breakWord(word, Math.max(1, room()));
      for (const piece of pieces.slice(0, -1)) {
        lines.push(line + piece);
        line = hang;
      }
      line += pieces.at(-1)!;
    }
    empty = false;
  }
  lines.push(empty ? indent.trimEnd() : line);
  return lines;
}

/** A list item's marker: `- `, `* `, `1) `, `2. `. */
const ITEM = /^(\s*)([-*]|[0-9]+[.)])\s+/;

/**
 * Text as a person wrote it (paragraphs split by blank lines, list items starting `- ` or `1) `,
 * lines broken anywhere) folded again to `width`, each line after `indent`; a list item's later
 * lines hang under its first word.
 */
export function reflow(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const block of text.trim().split(/\n\s*\n/)) {
    if (out.length > 0) out.push('');
    const items: { marker: string; words: string[] }[] = [];
    for (const raw of block.split('\n')) {
      const item = ITEM.exec(raw);
      if (item) items.push({ marker: item[0].trimStart(), words: [raw.slice(item[0].length)] });
      else if (items.length === 0) items.push({ marker: '', words: [raw] });
      else items.at(-1)!.words.push(raw);
    }
    for (const { marker, words } of items) {
      out.push(...wrapLine(words.join(' '), width, { indent: indent + marker, hang: indent + ' '.repeat(visibleWidth(marker)) }));
    }
  }
  return out.join('\n');
}

/** Paragraphs and list items each on one line (for report.json, markdown, the dashboard). */
export function unwrap(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const items: string[] = [];
      for (const raw of block.split('\n')) {
        if (ITEM.test(raw) || items.length === 0) items.push(raw.trim());
        else items[items.length - 1] += ` ${raw.trim()}`;
      }
      return items.join('\n');
    })
    .join('\n\n');
}
