/**
 * Lesson files: the shipped ones parse and are in the JSON Schema's shape; a bad file gets one line
 * naming the file, the line and the field, whatever is wrong with it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultlineError } from '@faultline/protocol';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { findLesson, LESSON_SCHEMA_FILE, lessonJsonSchema, listLessons, loadLessonFile, parseLesson } from '../src/index.js';

const GOOD = `name: tiny
title: A tiny lesson
concept: reliable communication
teaches: a request can be lost
minutes: 1
context: n1 pings n2.
cluster:
  nodes: 2
  seed: 7
predict:
  question: Will it arrive?
steps:
  - rpc: { from: n1, to: n2, timeout: 300ms, as: P }
expect:
  - name: ok
    check: rpc_outcome
    rpcs: [P]
    outcome: ok
explain: P took {{rpc.P.elapsed}} with seed {{seed}}; {{check.ok}}.
`;

/** The error `parseLesson` throws for `text`. */
function errorOf(text: string): FaultlineError {
  try {
    parseLesson(text, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(FaultlineError);
    return err as FaultlineError;
  }
  throw new Error('expected the lesson to be refused');
}

const edit = (from: string, to: string): string => {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
};

describe('lesson files', () => {
  it('a good file parses, with durations in ms and defaults filled in', () => {
    const lesson = parseLesson(GOOD, 'good.yaml');
    expect(lesson.cluster).toEqual({ nodes: 2, seed: '7', behaviours: {} });
    expect(lesson.steps[0].rpc).toEqual({ from: 'n1', to: 'n2', type: 'ping', body: {}, timeout: 300, retries: 0, as: 'P', wait: true });
  });

  it('every shipped lesson parses, has a unique name, and fits in a minute of run time', () => {
    const all = listLessons();
    expect(all.map((l) => l.lesson.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering', 'skew-breaks-lww', 'lamport-order', 'vector-clocks', 'hybrid-clocks', 'clock-sync', 'why-distribute', 'partial-failure', 'failure-detection', 'split-brain']);
    for (const { lesson } of all) {
      const waits = lesson.steps.reduce((ms, s) => ms + (s.wait ?? 0) + (s.rpc ? s.rpc.timeout * (s.rpc.retries + 1) : 0), 0);
      expect(waits, lesson.name).toBeLessThan(30_000);
    }
    expect(findLesson('01-ambiguity').lesson.name).toBe('ambiguity');
    expect(() => findLesson('nope')).toThrow(/no lesson called "nope" \(there are: ambiguity, slow-or-lost, duplicates-and-reordering, skew-breaks-lww, lamport-order, vector-clocks, hybrid-clocks, clock-sync, why-distribute, partial-failure, failure-detection, split-brain\)/);
  });

  it('the committed JSON Schema is the one the zod schema generates (run npm run schema after a change)', () => {
    expect(readFileSync(LESSON_SCHEMA_FILE, 'utf8')).toBe(lessonJsonSchema());
    const schema = JSON.parse(lessonJsonSchema()) as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'cluster', 'steps', 'expect', 'explain']));
    // Every key of every shipped file is a property the schema knows.
    for (const { file } of listLessons()) {
      for (const key of Object.keys(parse(readFileSync(file, 'utf8')) as object)) expect(Object.keys(schema.properties), `${file}: ${key}`).toContain(key);
    }
  });

  it.each([
    ['bad YAML', edit('  nodes: 2\n', '  nodes: [2\n'), /^bad\.yaml:\d+: not valid YAML: /],
    ['an unknown step', edit('  - rpc: {', '  - explode: true\n    rpc: {'), /^bad\.yaml:13: steps\[0\]\.explode: unknown field "explode" \(not a step action or option\)$/],
    ['an unknown node', edit('from: n1, to: n2', 'from: n1, to: n5'), /^bad\.yaml:13: steps\[0\]\.rpc\.to: unknown node "n5" \(the cluster has n1 … n2\)$/],
    ['a bad node id', edit('from: n1, to: n2', 'from: one, to: n2'), /^bad\.yaml:13: steps\[0\]\.rpc\.from: expected a node id like n1, got "one"$/],
    ['a bad duration', edit('timeout: 300ms', 'timeout: fast'), /^bad\.yaml:13: steps\[0\]\.rpc\.timeout: expected a duration like 200ms or 2s, got "fast"$/],
    ['a missing field', edit('minutes: 1\n', ''), /^bad\.yaml:\d+: minutes: expected number, got nothing$/],
    ['an unknown check', edit('check: rpc_outcome', 'check: vibes'), /^bad\.yaml:16: expect\[0\]\.check: expected one of 'rpc_outcome' \| .*, got "vibes"$/],
    ['a call nobody makes', edit('rpcs: [P]', 'rpcs: [Q]'), /^bad\.yaml:17: expect\[0\]\.rpcs\[0\]: no step makes a call named "Q"/],
    ['two actions in a step', edit('  - rpc: {', '  - kill: n2\n    rpc: {'), /^bad\.yaml:13: steps\[0\]: a step does one thing, this one has rpc and kill$/],
    ['a placeholder that names nothing', edit('{{seed}}', '{{rpc.Z.elapsed}}'), /^bad\.yaml:19: explain: \{\{rpc\.Z\.elapsed\}\} names nothing this run has/],
    ['a percentage over 100', edit('  - rpc: {', '  - link: { from: n1, to: n2, drop: 150% }\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.link\.drop: expected a percentage from 0% to 100%/],
    ['a link to itself', edit('from: n1, to: n2', 'from: n2, to: n2'), /^bad\.yaml:13: steps\[0\]\.rpc\.to: rpc from n2 to itself/],
    // Found by the fuzzer (npm run fuzz, seed 1): an alias inside itself made a cyclic value, and the checks recursed without end.
    ['an alias inside itself', edit('    outcome: ok\n', '    outcome: ok\n  - check: state\n    node: n2\n    key: counter\n    equals: &a [*a]\n'), /^bad\.yaml:\d+: not valid YAML: .*refers to itself/],
    // Found by the fuzzer: a `{{` left open across lines was quoted whole, lines and all.
    ['a placeholder left open across lines', edit('explain: P took {{rpc.P.elapsed}} with seed {{seed}}; {{check.ok}}.', 'explain: "{{check.o\\nk}} and {{seed}}"'), /^bad\.yaml:\d+: explain: a \{\{ with no \}\} after it on its line$/],
    ['an unknown behaviour', edit('  seed: 7\n', '  seed: 7\n  behaviours:\n    n2: [{ name: raft }]\n'), /^bad\.yaml:11: cluster\.behaviours\.n2\[0\]\.name: expected one of 'service' \| 'counter' \| 'log' \| 'register' \| 'sync' \| 'kv' \| 'detector' \| 'leader', got "raft"$/],
    ['not a mapping at all', '- just\n- a list\n', /^bad\.yaml:1: the lesson: expected object, got a list$/],
    ['an alias to nothing', edit('minutes: 1\n', 'minutes: *nowhere\n'), /^bad\.yaml:\d+: not valid YAML: /],
    ['a heartbeat of 0', edit('  seed: 7\n', '  seed: 7\n  heartbeat: 0\n'), /^bad\.yaml:\d+: cluster\.heartbeat: expected a heartbeat of at least 10ms, got 0$/],
    ['an answer past the choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  choices: [yes, no]\n  answer: 3\n'), /^bad\.yaml:\d+: predict\.answer: expected the right choice's number \(1 … 2\), got 3$/],
    ['an answer in words beside choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  choices: [yes, no]\n  answer: yes\n'), /^bad\.yaml:\d+: predict\.answer: expected the right choice's number \(1 … 2\), got "yes"$/],
    ['a choice number with no choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  answer: 1\n'), /^bad\.yaml:\d+: predict\.answer: a number names a choice, and this question has none/],
    ['a wait of a month', edit('  - rpc: {', '  - wait: 40000m\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.wait: expected a duration of at most 1 hour, got "40000m"$/],
    ['a context of 5,000 characters', edit('context: n1 pings n2.', `context: ${'x'.repeat(5_000)}`), /^bad\.yaml:6: context: expected at most 4000 characters, got 5000 characters$/],
    ['a long explanation', edit('explain: P took', `explain: ${'y'.repeat(4_001)} P took`), /^bad\.yaml:19: explain: expected at most 4000 characters, got 4\d{3} characters$/],
    ['a long title', edit('title: A tiny lesson', `title: ${'t'.repeat(201)}`), /^bad\.yaml:2: title: expected at most 200 characters, got 201 characters$/],
    ['a long note', edit('  - rpc: {', `  - note: ${'n'.repeat(1_001)}\n  - rpc: {`), /^bad\.yaml:13: steps\[0\]\.note: expected at most 1000 characters, got 1001 characters$/],
    ['a long message type', edit('as: P }', `as: P, type: ${'m'.repeat(201)} }`), /^bad\.yaml:13: steps\[0\]\.rpc\.type: expected at most 100 characters, got 201 characters$/],
    ['too many steps', edit('  - rpc: {', `${'  - note: hi\n'.repeat(501)}  - rpc: {`), /^bad\.yaml:\d+: steps: expected at most 500 steps, got 502$/],
    ['a file of 300 KB', edit('context: n1 pings n2.', `context: ${'z'.repeat(300_000)}`), /^bad\.yaml: expected a lesson file of at most 262144 bytes, got 300\d{3}$/],
    ['a clock offset of 1e300', edit('  - rpc: {', '  - clock: { node: n1, offset: 1e300 }\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.clock\.offset: expected a clock offset or jump within ±1 day \(±86400000 ms\), got 1e\+300 ms$/],
    ['a clock jump of two days', edit('  - rpc: {', '  - clock: { node: n1, jump: -2881m }\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.clock\.jump: expected a clock offset or jump within ±1 day \(±86400000 ms\), got -172860000 ms$/],
    ['a drift of 1e300', edit('  - rpc: {', '  - clock: { node: n1, drift: 1e300 }\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.clock\.drift: expected a drift above -1000000 ppm and at most 1000000 ppm, got 1e\+300$/],
  ])('%s: one line naming file, line and field', (_what, text, expected) => {
    const err = errorOf(text);
    expect(err.message).toMatch(expected);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(['bad-yaml', 'invalid']).toContain(err.code);
  });

  it('a lesson file of 10 MB (its context) is refused before it is parsed, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-lesson-'));
    try {
      const file = join(dir, 'huge.yaml');
      writeFileSync(file, edit('context: n1 pings n2.', `context: ${'x'.repeat(10 * 1024 * 1024)}`));
      const heapBefore = process.memoryUsage().heapUsed;
      let message = '';
      try {
        loadLessonFile(file);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe(`${file}: expected a lesson file of at most 262144 bytes, got ${statSync(file).size}`);
      // Refused from its size on disk: the file was never read into memory.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(5 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['flow collections nested 2,000 deep', `${GOOD}extra: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, /^bad\.yaml:\d+: not valid YAML: nested deeper than 64 levels$/],
    ['block mappings nested 400 deep (a file under the size limit)', `${GOOD}${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')}\n`, /^bad\.yaml:\d+: not valid YAML: nested deeper than 64 levels$/],
    ['lists nested 100 deep (parses, but no lesson nests so deep)', `${GOOD}extra: ${'['.repeat(100)}${']'.repeat(100)}\n`, /^bad\.yaml:\d+: not valid YAML: nested deeper than 64 levels$/],
    ['several documents', `${GOOD}---\n${GOOD}`, /^bad\.yaml:\d+: not valid YAML: it holds several documents \(a lesson file is one; remove the --- line\)$/],
  ])('%s: one line in our words, not the parser\'s', (_what, text, expected) => {
    const err = errorOf(text);
    expect(err.message).toMatch(expected);
    expect(err.message).not.toMatch(/stack|parseAllDocuments/i);
    expect(err.code).toBe('bad-yaml');
  });

  // Found by the fuzzer: a mapping key that is itself a mapping made the YAML library print a
  // Node.js warning on stderr, beside the one-line error.
  it('a mapping as a key is refused in one line, with no warning printed', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const err = errorOf(edit('  seed: 7\n', '  seed: 7\n  ? { name: service }\n  : 1\n'));
      expect(err.message.split('\n')).toHaveLength(1);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('an empty file and a missing file are refused too', () => {
    expect(errorOf('').message).toMatch(/^bad\.yaml:1: the lesson: expected object, got /);
    expect(() => findLesson('../../etc/passwd')).toThrow(FaultlineError);
  });
});
