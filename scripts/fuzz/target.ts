/** What every fuzz target answers, and the shared checks of a refusal. */
export type FuzzScale = 'full' | 'slice';

export interface FuzzOptions {
  readonly seed: number;
  readonly scale: FuzzScale;
}

export interface FuzzResult {
  readonly name: string;
  readonly seed: number;
  readonly cases: number;
  /** A process of the lab (or the code under test) died, or threw what it must not. */
  readonly crashes: number;
  /** A case that got no answer (not even a refusal) within its bound. */
  readonly hangs: number;
  /** Examples (at most 10) of refusals that were not one clear line, and of crashes and hangs. */
  readonly badErrors: string[];
  /** What the cases came to, in a few words (`exit codes: 1: 40, 2: 160`). */
  readonly notes?: string;
}

export type FuzzTarget = (o: FuzzOptions) => Promise<FuzzResult>;

/** Collects a target's tallies; keeps the first few examples. */
export class Tally {
  cases = 0;
  crashes = 0;
  hangs = 0;
  readonly badErrors: string[] = [];
  private notes?: string;

  note(text: string): void {
    this.notes = this.notes === undefined ? text : `${this.notes}; ${text}`;
  }

  constructor(
    private readonly name: string,
    private readonly seed: number,
  ) {}

  bad(example: string): void {
    if (this.badErrors.length < 10) this.badErrors.push(example.slice(0, 400));
  }

  crash(example: string): void {
    this.crashes += 1;
    this.bad(`crash: ${example}`);
  }

  hang(example: string): void {
    this.hangs += 1;
    this.bad(`hang: ${example}`);
  }

  result(): FuzzResult {
    return { name: this.name, seed: this.seed, cases: this.cases, crashes: this.crashes, hangs: this.hangs, badErrors: this.badErrors, ...(this.notes === undefined ? {} : { notes: this.notes }) };
  }
}

/** A refusal is clear when it is one non-empty line. */
export function isOneLine(message: string): boolean {
  return message.trim().length > 0 && !message.trim().includes('\n');
}
