/**
 * The lifeline between a lab process and the children it starts (the proxy, every node): the
 * parent hands the child one end of a pipe as file descriptor 3 and names it in
 * $FAULTLINE_PARENT_FD; the child reads it and never gets data. When the parent dies, however it
 * dies (SIGKILL included), the kernel closes the parent's end, the child reads end-of-file and
 * stops by itself. Node has no PR_SET_PDEATHSIG; this works on every OS Node runs on.
 *
 * Node-only (a subpath of the protocol package, `@faultline/protocol/parent-link`): the browser
 * never imports it.
 */
import { Socket } from 'node:net';

/** The environment variable that names the child's end of the lifeline. */
export const PARENT_FD_ENV = 'FAULTLINE_PARENT_FD';
/** The child's end is its file descriptor 3 (after stdin, stdout, stderr). */
export const PARENT_FD = 3;
/** How long a child may take to stop cleanly once its parent is gone, before it just exits. */
export const PARENT_GONE_GRACE_MS = 1_000;
/** Where the pipe cannot be read, how often the child looks whether it was handed to another parent. */
const PPID_POLL_MS = 250;

/** What a parent adds to its spawn options: stdin ignored, stdout and stderr piped, the lifeline as fd 3. */
export function parentLinkSpawnOptions(): { stdio: ['ignore', 'pipe', 'pipe', 'pipe']; env: Record<string, string> } {
  return { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { [PARENT_FD_ENV]: String(PARENT_FD) } };
}

/**
 * In a child: calls `stop` once when the parent that started it is gone (the lifeline's end of
 * file; or, if the pipe cannot be read, a change of `process.ppid`), then exits with code 1 if
 * `stop` has not ended the process within {@link PARENT_GONE_GRACE_MS}. Returns false (and watches
 * nothing) when the process was not started with a lifeline, e.g. run by hand in a terminal.
 */
export function exitWithParent(stop: () => void): boolean {
  const raw = process.env[PARENT_FD_ENV];
  if (raw === undefined) return false;
  // Not inherited by anything this process starts: their lifeline is their own.
  delete process.env[PARENT_FD_ENV];
  let gone = false;
  const onGone = (): void => {
    if (gone) return;
    gone = true;
    setTimeout(() => process.exit(1), PARENT_GONE_GRACE_MS).unref();
    stop();
  };
  const fd = Number(raw);
  try {
    if (!Number.isInteger(fd) || fd < 0) throw new Error(`${PARENT_FD_ENV}=${raw} is not a file descriptor`);
    const pipe = new Socket({ fd, readable: true, writable: false });
    pipe.on('end', onGone);
    pipe.on('close', onGone);
    pipe.on('error', onGone);
    pipe.resume();
    // The lifeline alone does not keep the process running.
    pipe.unref();
  } catch {
    const ppid = process.ppid;
    setInterval(() => {
      if (process.ppid !== ppid) onGone();
    }, PPID_POLL_MS).unref();
  }
  return true;
}
