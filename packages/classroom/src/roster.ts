/**
 * The class as the instructor's console knows it (pure): who joined, what each student's lab is
 * doing, every assignment pushed, and each student's prediction and verdict for each. Fed the
 * frames students send and the time they came; answers what to send back. A student's events are
 * numbered: one already held is acknowledged again and not counted twice, so a student who
 * dropped can resend everything it is not sure of. Saved and loaded whole (`toJSON`, `fromJSON`),
 * so an instructor's console that restarts loses nothing either.
 */
import { FaultlineError, type Assignment, type ClassFrame, type ClassView, type LabReport, type StudentEvent, type StudentView } from '@faultline/protocol';

type Prediction = Omit<Extract<StudentEvent, { type: 'prediction' }>, 'type' | 'assignment'>;
type Verdict = Omit<Extract<StudentEvent, { type: 'verdict' }>, 'type' | 'assignment'>;

interface Student {
  id: string;
  name: string;
  connected: boolean;
  lastSeen: string;
  lab: LabReport | null;
  /** The highest event number held. */
  acked: number;
  results: Map<number, { prediction: Prediction | null; verdict: Verdict | null }>;
}

/** What `toJSON` writes and `fromJSON` reads. */
export interface RosterData {
  readonly started: string;
  readonly assignments: Assignment[];
  readonly students: (Omit<Student, 'results' | 'connected'> & { results: [number, { prediction: Prediction | null; verdict: Verdict | null }][] })[];
}

export class Roster {
  private readonly students = new Map<string, Student>();
  private readonly assignments: Assignment[] = [];

  constructor(readonly started: string) {}

  static fromJSON(data: RosterData): Roster {
    const roster = new Roster(data.started);
    roster.assignments.push(...data.assignments);
    // Nobody is connected to a console that just started: each says hello again.
    for (const s of data.students) roster.students.set(s.id, { ...s, connected: false, results: new Map(s.results) });
    return roster;
  }

  toJSON(): RosterData {
    return {
      started: this.started,
      assignments: [...this.assignments],
      students: [...this.students.values()].map(({ connected: _, results, ...s }) => ({ ...s, results: [...results] })),
    };
  }

  /** A student (new, or back) says hello: the welcome to send it. */
  hello(id: string, name: string, now: string): Extract<ClassFrame, { type: 'welcome' }> {
    const known = this.students.get(id);
    const student = known ?? { id, name, connected: true, lastSeen: now, lab: null, acked: 0, results: new Map() };
    Object.assign(student, { name, connected: true, lastSeen: now });
    this.students.set(id, student);
    return { type: 'welcome', acked: student.acked, assignments: [...this.assignments] };
  }

  left(id: string, now: string): void {
    const student = this.students.get(id);
    if (student) Object.assign(student, { connected: false, lastSeen: now });
  }

  lab(id: string, report: LabReport, now: string): void {
    const student = this.require(id);
    Object.assign(student, { lab: report, lastSeen: now });
  }

  /**
   * Event `seq` of student `id`: kept if it is new (its number above those held), acknowledged
   * either way. An event for an assignment nobody pushed is acknowledged and dropped.
   */
  event(id: string, seq: number, event: StudentEvent, now: string): { ack: Extract<ClassFrame, { type: 'ack' }>; kept: boolean } {
    const student = this.require(id);
    student.lastSeen = now;
    const ack = { type: 'ack', seq } as const;
    if (seq <= student.acked) return { ack, kept: false };
    student.acked = seq;
    if (!this.assignments.some((a) => a.id === event.assignment)) return { ack, kept: false };
    const result = student.results.get(event.assignment) ?? { prediction: null, verdict: null };
    const { type, assignment: _, ...rest } = event;
    // A student predicts once, before the run: the first prediction stands. The verdict is the run's.
    if (type === 'prediction') result.prediction ??= rest as Prediction;
    else result.verdict = rest as Verdict;
    student.results.set(event.assignment, result);
    return { ack, kept: true };
  }

  /** Pushes a lesson (or a scenario file) to every lab: the assignment to send them. */
  assign(lesson: string, now: string, scenario?: Assignment['scenario']): Assignment {
    const assignment: Assignment = { id: this.assignments.length + 1, at: now, lesson, ...(scenario ? { scenario } : {}) };
    this.assignments.push(assignment);
    return assignment;
  }

  view(): ClassView {
    const students: StudentView[] = [...this.students.values()]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((s) => ({
        id: s.id,
        name: s.name,
        connected: s.connected,
        lastSeen: s.lastSeen,
        lab: s.lab,
        results: [...s.results].sort(([a], [b]) => a - b).map(([assignment, r]) => ({ assignment, ...r })),
      }));
    return { started: this.started, students, assignments: [...this.assignments] };
  }

  private require(id: string): Student {
    const student = this.students.get(id);
    if (!student) throw new FaultlineError('conflict', `student ${id} has not said hello`);
    return student;
  }
}
