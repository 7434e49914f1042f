/**
 * A lab in a child process (scripts/support/lab-process.ts), so a test can measure its memory
 * from outside; commands and answers are JSON lines over its stdin and stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

const SCRIPT = fileURLToPath(new URL('../../scripts/support/lab-process.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface LabProcess extends AsyncDisposable {
  readonly pid: number;
  readonly controlUrl: string;
  readonly port: number;
  readonly traceFile: string;
  readonly seed: string;
  /** n1 → n2, `count` messages; resolves once n2's every receive is in the trace. */
  burst(count: number): Promise<{ lastSeq: number; traceBytes: number }>;
  /** A full garbage collection in the lab's process (it runs with --expose-gc). */
  gc(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the lab (2 nodes) in a child process; `boundMs` bounds every answer. */
export async function startLabProcess(boundMs: number, seed?: string): Promise<LabProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', TSX, SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...(seed === undefined ? {} : { FAULTLINE_SEED: seed }) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: AsyncIterator<string, undefined> = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<Record<string, unknown>> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the lab's process did not answer ${what} within ${boundMs} ms`)), boundMs)));
    try {
      const next = await Promise.race([lines.next(), late]);
      if (next.done === true) throw new Error(`the lab's process exited before answering ${what}`);
      const answer = JSON.parse(next.value) as Record<string, unknown>;
      if (typeof answer.error === 'string') throw new Error(`the lab's process: ${answer.error}`);
      return answer;
    } finally {
      clearTimeout(timer);
    }
  };
  const ask = (command: unknown): Promise<Record<string, unknown>> => {
    child.stdin!.write(`${JSON.stringify(command)}\n`);
    return next(JSON.stringify(command));
  };
  let ready: Record<string, unknown>;
  try {
    ready = await next('that it is ready');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    await exited;
    clearTimeout(timer);
  };
  const controlUrl = ready.controlUrl as string;
  return {
    pid: ready.pid as number,
    controlUrl,
    port: Number(new URL(controlUrl).port),
    traceFile: ready.traceFile as string,
    seed: ready.seed as string,
    burst: async (count) => (await ask({ burst: count })) as { lastSeq: number; traceBytes: number },
    gc: async () => void (await ask({ gc: true })),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
