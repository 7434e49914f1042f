/**
 * A hosted program's wall clock is its node's (libfaketime). A program reads the time of day
 * from the C library (`clock_gettime`), not from faultline; libfaketime, preloaded into it
 * (LD_PRELOAD), answers those calls with the real time plus an offset it reads from a file. The
 * node writes its skewed clock's offset to that file, so the program's `Date.now()`,
 * `time.time()`, `System.currentTimeMillis()`… read what the node's wall clock reads, within a
 * second (libfaketime reads the file again at most once a second). Monotonic time is left alone,
 * so the program's timers and timeouts are not disturbed.
 *
 * Linux with Debian's `faketime` package (or FAULTLINE_LIBFAKETIME naming the library). Programs
 * that do not call the C library for the time (Go's runtime reads the vDSO itself; statically
 * linked binaries) keep the machine's clock.
 *
 * Node-only (a subpath of the protocol package, `@faultline/protocol/faketime`): the browser
 * never imports it.
 */
import { existsSync } from 'node:fs';

/** Names the library where it is not in one of Debian's places. */
export const LIBFAKETIME_ENV = 'FAULTLINE_LIBFAKETIME';

const PLACES = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 'i386-linux-gnu'].map((arch) => `/usr/lib/${arch}/faketime/libfaketime.so.1`).concat(['/usr/lib/faketime/libfaketime.so.1', '/usr/local/lib/faketime/libfaketime.so.1']);

/** The library's path, or undefined where there is none (not Linux, or no `faketime` package). */
export function findLibfaketime(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const named = env[LIBFAKETIME_ENV];
  if (named) return existsSync(named) ? named : undefined;
  return PLACES.find((p) => existsSync(p));
}

/** Why a program's clock cannot follow its node's here, in words (for a refusal). */
export const NO_LIBFAKETIME =
  process.platform === 'linux'
    ? "a program reads this machine's clock, and libfaketime (which lets faultline skew it) is not here: apt-get install faketime"
    : "a program reads this machine's clock, which faultline can skew only on Linux (libfaketime)";

/** The environment that makes a program read its time through `file` (libfaketime's offset). */
export function faketimeEnv(library: string, file: string, inherited: string | undefined): Record<string, string> {
  return {
    LD_PRELOAD: inherited ? `${library} ${inherited}` : library,
    FAKETIME_TIMESTAMP_FILE: file,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    FAKETIME_CACHE_DURATION: '1',
  };
}

/** libfaketime's words for an offset of `ms` from the real time (`+2.500s`, `-0.120s`). */
export function faketimeOffset(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)}s`;
}
