import { studentFrameSchema, classFrameSchema, joinCodeSchema } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { classCsv, Roster, type RosterData } from '../src/index.js';

const T = (s: number): string => new Date(Date.UTC(2026, 11, 4, 10, 0, s)).toISOString();
const ADA = 'ada0000000001';
const BOB = 'bob0000000002';
const prediction = (assignment: number, choice: number) => ({ type: 'prediction' as const, assignment, answer: { choice, text: `choice ${choice}` } });
const verdict = (assignment: number, passed: boolean) => ({ type: 'verdict' as const, assignment, passed, checks: [{ name: 'a', held: passed }, { name: 'b', held: true }], correct: passed });

describe('the roster', () => {
  it('welcomes a new student with nothing held and every assignment so far', () => {
    const r = new Roster(T(0));
    const first = r.assign('ambiguity', T(1));
    expect(r.hello(ADA, 'Ada', T(2))).toEqual({ type: 'welcome', acked: 0, assignments: [first] });
    expect(r.view().students).toMatchObject([{ id: ADA, name: 'Ada', connected: true, lab: null, results: [] }]);
  });

  it('keeps the prediction before the run and the verdict after, per assignment', () => {
    const r = new Roster(T(0));
    const a = r.assign('ambiguity', T(1));
    r.hello(ADA, 'Ada', T(2));
    expect(r.event(ADA, 1, prediction(a.id, 2), T(3))).toEqual({ ack: { type: 'ack', seq: 1 }, kept: true });
    expect(r.view().students[0].results).toEqual([{ assignment: 1, prediction: { answer: { choice: 2, text: 'choice 2' } }, verdict: null }]);
    r.event(ADA, 2, verdict(a.id, true), T(4));
    expect(r.view().students[0].results[0].verdict).toMatchObject({ passed: true, correct: true });
  });

  it('acknowledges a resent event again and does not count it twice; the first prediction stands', () => {
    const r = new Roster(T(0));
    const a = r.assign('ambiguity', T(1));
    r.hello(ADA, 'Ada', T(2));
    r.event(ADA, 1, prediction(a.id, 2), T(3));
    expect(r.event(ADA, 1, prediction(a.id, 2), T(4))).toEqual({ ack: { type: 'ack', seq: 1 }, kept: false });
    r.event(ADA, 2, prediction(a.id, 3), T(5));
    expect(r.view().students[0].results[0].prediction?.answer?.choice).toBe(2);
  });

  it('a student who drops and comes back hears what is held, and loses nothing across a console restart', () => {
    const r = new Roster(T(0));
    const a = r.assign('ambiguity', T(1));
    r.hello(ADA, 'Ada', T(2));
    r.event(ADA, 1, prediction(a.id, 1), T(3));
    r.left(ADA, T(4));
    expect(r.view().students[0].connected).toBe(false);
    const restarted = Roster.fromJSON(JSON.parse(JSON.stringify(r.toJSON())) as RosterData);
    expect(restarted.view().students[0]).toMatchObject({ connected: false, results: [{ assignment: 1 }] });
    expect(restarted.hello(ADA, 'Ada L.', T(5))).toEqual({ type: 'welcome', acked: 1, assignments: [a] });
    restarted.event(ADA, 2, verdict(a.id, false), T(6));
    expect(restarted.view().students[0]).toMatchObject({ name: 'Ada L.', connected: true, results: [{ prediction: { answer: { choice: 1 } }, verdict: { passed: false } }] });
  });

  it('drops an event for an assignment nobody pushed (acknowledged: it will not come again)', () => {
    const r = new Roster(T(0));
    r.hello(ADA, 'Ada', T(1));
    expect(r.event(ADA, 1, prediction(7, 1), T(2))).toEqual({ ack: { type: 'ack', seq: 1 }, kept: false });
    expect(r.view().students[0].results).toEqual([]);
  });

  it('refuses a lab report or an event from a student who has not said hello', () => {
    const r = new Roster(T(0));
    expect(() => r.lab(BOB, { up: true, nodes: 3, lesson: null }, T(1))).toThrow(/has not said hello/);
    expect(() => r.event(BOB, 1, prediction(1, 1), T(1))).toThrow(/has not said hello/);
  });
});

describe('the class as CSV', () => {
  it('a row a student and assignment; quotes what needs it; no formula reaches a spreadsheet', () => {
    const r = new Roster(T(0));
    const a = r.assign('ambiguity', T(1));
    r.hello(ADA, '=HYPERLINK("x")', T(2));
    r.hello(BOB, 'Bob, "the builder"', T(2));
    r.event(ADA, 1, prediction(a.id, 2), T(3));
    r.event(ADA, 2, verdict(a.id, true), T(4));
    r.event(BOB, 1, { type: 'prediction', assignment: a.id, answer: null, unanswered: 'no terminal' }, T(3));
    const lines = classCsv(r.view()).split('\r\n');
    expect(lines[0]).toBe('student,name,assignment,lesson,predicted,correct,passed,held,checks,error');
    expect(lines).toContain(`${ADA},"'=HYPERLINK(""x"")",1,ambiguity,2 (choice 2),true,true,2,2,`);
    expect(lines).toContain(`${BOB},"Bob, ""the builder""",1,ambiguity,no terminal,,,,,`);
    expect(lines.at(-1)).toBe('');
  });
});

describe('the frames', () => {
  it('read a join code as people type it, and refuse what is not one', () => {
    expect(joinCodeSchema.parse(' k7qp-x3md ')).toBe('K7QP-X3MD');
    expect(joinCodeSchema.parse('K7QPX3MD')).toBe('K7QP-X3MD');
    for (const bad of ['K7QP-X3M', 'K7QP-X3M0', 'IOIO-1111', '']) expect(joinCodeSchema.safeParse(bad).success).toBe(false);
  });

  it('refuse a malformed frame with the field named', () => {
    const bad = studentFrameSchema.safeParse({ type: 'event', seq: 0, event: { type: 'verdict', assignment: 1, passed: 'yes', checks: [] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['seq', 'event.passed']));
    expect(classFrameSchema.safeParse({ type: 'assign', assignment: { id: 1, at: T(0), lesson: 'ambiguity' } }).success).toBe(true);
  });
});
