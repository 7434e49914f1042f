/**
 * Reading a lesson file: YAML, then the lesson schema, then the rules a schema cannot say (nodes
 * that exist, calls that are named before they are used). Every problem is one line that names
 * the file, the line and the field: `ambiguity.yaml:14: steps[2].kill: expected a node id like n1, got "nine"`.
 */
import { readFileSync } from 'node:fs';
import { lessonSchema, type Lesson } from '@faultline/protocol';
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
  const counter = new LineCounter();
  // logLevel error: no Node.js warning on stderr (a mapping as a key); the schema refuses what it makes, in one line.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = counter.linePos(yamlError.pos[0]).line;
    throw new FaultlineError('bad-yaml', `${file}:${line}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const loop = aliasInsideItself(doc);
  if (loop) throw new FaultlineError('bad-yaml', `${file}:${counter.linePos(loop.at).line}: not valid YAML: the alias *${loop.name} refers to itself`);
  let raw: unknown;
  try {
    // An alias to nothing, or one that expands without end, fails here.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new FaultlineError('bad-yaml', `${file}:1: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const fail = (issue: LessonIssue): never => {
    const where = formatPath(issue.path);
    throw new FaultlineError('invalid', `${file}:${lineOf(doc, counter, issue.path)}: ${where === '' ? 'the lesson' : where}: ${issue.message}`);
  };
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
    } else if (issue.code !== 'custom') {
      message = `${message}, got ${describe(valueAt(raw, path))}`;
    }
    fail({ path, message });
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
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FaultlineError('not-found', `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  return { file, lesson: parseLesson(text, file) };
}
