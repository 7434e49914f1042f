/**
 * A reader that goes away (`faultline trace | head -3`) is not an error: when stdout or stderr is
 * closed under us (EPIPE), stop quietly instead of dying with a stack trace. A command that owns a
 * lab (`up`, `lesson run`) listens for SIGTERM to stop it cleanly: it is told so; any other
 * command ends at once, with the exit code it had so far.
 */
export function quietOnEpipe(): void {
  let closing = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
    if (closing) return;
    closing = true;
    if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
    else process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
