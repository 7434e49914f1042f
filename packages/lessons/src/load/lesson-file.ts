/**
 * Reading a lesson file: YAML, then the lesson schema, then the rules a schema cannot say (nodes
 * that exist, calls that are named before they are used). Every problem is one line that names
 * the file, the line and the field: `ambiguity.yaml:14: steps[2].kill: expected a node id like n1, got "nine"`.
 * A file, and each text in it, has a size limit (LESSON_LIMITS), checked before it is parsed.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { LESSON_LIMITS, lessonSchema, type Lesson } from '@faultline/protocol';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { FaultlineError } from '@faultline/protocol';
import { validateLesson, type LessonIssue } from './validate-lesson.js';

export interface LoadedLesson {
  readonly file: string;
  readonly lesson: Lesson;
}

/** `steps[2].kill` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** The line of the deepest part of `path` that is in the document (1-based). */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

function tooLarge(file: string, bytes: number): FaultlineError {
  return new FaultlineError('invalid', `${file}: expected a lesson file of at most ${LESSON_LIMITS.fileBytes} bytes, got ${bytes}`);
}

/** No lesson nests deeper than this (its deepest part, a step's fields, is 4 levels down). */
export const MAX_NESTING = 64;
const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels`;

/** The path to a value nested deeper than `limit`, if any (iterative: any depth is safe). */
function tooDeep(root: unknown, limit: number): PropertyKey[] | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= limit) return path;
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (const [k, v] of entries) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}

/** The first sweep at which the steps sweeps run (values × steps) pass the limit, or undefined. */
function sweptSteps(raw: unknown): LessonIssue | undefined {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return undefined;
  let total = 0;
  for (const [i, step] of steps.entries()) {
    const sweep = (step as { sweep?: { values?: unknown; steps?: unknown } } | null)?.sweep;
    if (!Array.isArray(sweep?.values) || !Array.isArray(sweep.steps)) continue;
    total += sweep.values.length * sweep.steps.length;
    if (total > LESSON_LIMITS.sweptSteps) return { path: ['steps', i, 'sweep'], message: `expected sweeps to run at most ${LESSON_LIMITS.sweptSteps} steps in all (values × steps), got ${total} by this one` };
  }
  return undefined;
}

/** A parser's message in a lesson author's words (the parser's own is one line of it). */
function yamlProblem(code: string | undefined, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'it holds several documents (a lesson file is one; remove the --- line)';
  if (/call stack/i.test(message)) return TOO_DEEP;
  return message.split('\n')[0];
}

/** The first alias inside the node it names (`&a [*a]`): a value without end. */
function aliasInsideItself(doc: Document): { name: string; at: number } | undefined {
  let found: { name: string; at: number } | undefined;
  visit(doc, {
    Alias(_key, node, path) {
      if (path.some((p) => isNode(p) && p.anchor === node.source)) {
        found = { name: node.source, at: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Parses a lesson from YAML text; `file` names it in errors. Throws a FaultlineError. */
export function parseLesson(text: string, file: string): Lesson {
  // Before YAML sees it: a huge file costs many times its size once parsed.
  if (text.length > LESSON_LIMITS.fileBytes || Buffer.byteLength(text) > LESSON_LIMITS.fileBytes) throw tooLarge(file, Buffer.byteLength(text));
  const counter = new LineCounter();
  const badYaml = (line: number, problem: string): never => {
    throw new FaultlineError('bad-yaml', `${file}:${line}: not valid YAML: ${problem}`);
  };
  let doc: Document;
  try {
    // logLevel error: no Node.js warning on stderr (a mapping as a key); the schema refuses what it makes, in one line.
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  } catch (err) {
    // The parser recurses: a file nested thousands deep overflows the stack.
    return badYaml(1, yamlProblem(undefined, (err as Error).message));
  }
  const yamlError = doc.errors[0];
  if (yamlError) badYaml(counter.linePos(yamlError.pos[0]).line, yamlProblem(yamlError.code, yamlError.message));
  const loop = aliasInsideItself(doc);
  if (loop) badYaml(counter.linePos(loop.at).line, `the alias *${loop.name} refers to itself`);
  let raw: unknown;
  try {
    // An alias to nothing, or one that expands without end, fails here.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    badYaml(1, yamlProblem(undefined, (err as Error).message));
  }
  const deep = tooDeep(raw, MAX_NESTING);
  if (deep) badYaml(lineOf(doc, counter, deep), TOO_DEEP);
  const fail = (issue: LessonIssue): never => {
    const where = formatPath(issue.path);
    throw new FaultlineError('invalid', `${file}:${lineOf(doc, counter, issue.path)}: ${where === '' ? 'the lesson' : where}: ${issue.message}`);
  };
  // Before the schema expands them: sweeps' rows can multiply a small file into many steps.
  const swept = sweptSteps(raw);
  if (swept !== undefined) fail(swept);
  const parsed = lessonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let path: PropertyKey[] = [...issue.path];
    let message = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
    if (issue.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0]];
      message = `unknown field "${issue.keys[0]}"${path.length === 3 && path[0] === 'steps' ? ' (not a step action or option)' : ''}`;
    } else if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      message = `${message.replace('Invalid discriminator value. Expected', 'expected one of')}, got ${describe(valueAt(raw, path))}`;
    } else if (issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) {
      // The length, not the text: it can be long.
      const value = valueAt(raw, path);
      const length = typeof value === 'string' || Array.isArray(value) ? value.length : 0;
      message = `${message}, got ${issue.origin === 'string' ? `${length} characters` : length}`;
    } else if (issue.code !== 'custom') {
      message = `${message}, got ${describe(valueAt(raw, path))}`;
    }
    // A sweep's row (protocol's `sweepSchema` adds it to its rows' issues): which value made the step wrong.
    const row = (issue as { row?: unknown }).row;
    fail({ path, message: typeof row === 'string' ? `(row ${row}) ${message}` : message });
  }
  const lesson = parsed.data!;
  const problems = validateLesson(lesson);
  if (problems.length > 0) fail(problems[0]);
  return lesson;
}

/** Reads and parses a lesson file. Throws a FaultlineError (`not-found`, `bad-yaml`, `invalid`). */
export function loadLessonFile(file: string): LoadedLesson {
  let text: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > LESSON_LIMITS.fileBytes) throw tooLarge(file, size);
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    throw new FaultlineError('not-found', `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  return { file, lesson: parseLesson(text, file) };
}
