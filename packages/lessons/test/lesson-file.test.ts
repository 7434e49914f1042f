/**
 * Lesson files: the shipped ones parse and are in the JSON Schema's shape; a bad file gets one line
 * naming the file, the line and the field, whatever is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { FaultlineError } from '@faultline/protocol';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { findLesson, LESSON_SCHEMA_FILE, lessonJsonSchema, listLessons, parseLesson } from '../src/index.js';

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
    expect(all.map((l) => l.lesson.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering']);
    for (const { lesson } of all) {
      const waits = lesson.steps.reduce((ms, s) => ms + (s.wait ?? 0) + (s.rpc ? s.rpc.timeout * (s.rpc.retries + 1) : 0), 0);
      expect(waits, lesson.name).toBeLessThan(30_000);
    }
    expect(findLesson('01-ambiguity').lesson.name).toBe('ambiguity');
    expect(() => findLesson('nope')).toThrow(/no lesson called "nope" \(there are: ambiguity, slow-or-lost, duplicates-and-reordering\)/);
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
    ['an unknown behaviour', edit('  seed: 7\n', '  seed: 7\n  behaviours:\n    n2: [{ name: raft }]\n'), /^bad\.yaml:11: cluster\.behaviours\.n2\[0\]\.name: expected one of 'service' \| 'counter' \| 'log', got "raft"$/],
    ['not a mapping at all', '- just\n- a list\n', /^bad\.yaml:1: the lesson: expected object, got a list$/],
    ['an alias to nothing', edit('minutes: 1\n', 'minutes: *nowhere\n'), /^bad\.yaml:\d+: not valid YAML: /],
    ['a heartbeat of 0', edit('  seed: 7\n', '  seed: 7\n  heartbeat: 0\n'), /^bad\.yaml:\d+: cluster\.heartbeat: expected a heartbeat of at least 10ms, got 0$/],
    ['an answer past the choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  choices: [yes, no]\n  answer: 3\n'), /^bad\.yaml:\d+: predict\.answer: expected the right choice's number \(1 … 2\), got 3$/],
    ['an answer in words beside choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  choices: [yes, no]\n  answer: yes\n'), /^bad\.yaml:\d+: predict\.answer: expected the right choice's number \(1 … 2\), got "yes"$/],
    ['a choice number with no choices', edit('  question: Will it arrive?\n', '  question: Will it arrive?\n  answer: 1\n'), /^bad\.yaml:\d+: predict\.answer: a number names a choice, and this question has none/],
    ['a wait of a month', edit('  - rpc: {', '  - wait: 40000m\n  - rpc: {'), /^bad\.yaml:13: steps\[0\]\.wait: expected a duration of at most 1 hour, got "40000m"$/],
  ])('%s: one line naming file, line and field', (_what, text, expected) => {
    const err = errorOf(text);
    expect(err.message).toMatch(expected);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(['bad-yaml', 'invalid']).toContain(err.code);
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
