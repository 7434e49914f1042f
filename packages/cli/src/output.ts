/** What a command prints: for people, lines and a hint; with --json, one JSON document. */
import { exitCodeOf, FaultlineError } from '@faultline/protocol';
import { style } from '@faultline/lessons';

export interface Output {
  json: boolean;
  /** The machine-readable result (printed with --json). */
  result(value: unknown): void;
  /** A line for people (not printed with --json). */
  line(text: string): void;
  hint(text: string): void;
}

export function output(json: boolean): Output {
  return {
    json,
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    hint: (text) => {
      if (!json) process.stdout.write(`${style.dim(`hint: ${text}`)}\n`);
    },
  };
}

/** Runs a command: errors become one line on stderr (and a hint) and the exit code of their code (2 usage, 1 lab). */
export async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof FaultlineError) {
      process.stderr.write(`faultline: ${err.message}\n`);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      process.exitCode = exitCodeOf(err.code);
    } else {
      process.stderr.write(`faultline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
