/** Waiting that a Ctrl-C can cut short: every wait of a lesson run races the run's abort signal. */
import { FaultlineError } from '@faultline/protocol';

export function interrupted(): FaultlineError {
  return new FaultlineError('interrupted', 'the lesson was interrupted; the trace written so far is kept');
}

/** `work`, unless `signal` aborts first (then an `interrupted` FaultlineError). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(interrupted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** `ms` of (monotonic) time, cut short by `signal`. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  return abortable(done, signal).finally(() => clearTimeout(timer));
}
