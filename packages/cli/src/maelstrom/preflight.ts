/**
 * Before a lab starts: the program once on its own, given `init`, must answer `init_ok` (shell).
 * A program that cannot run, dies at once, prints something else or nothing is told apart here in
 * one line, with its own words on stderr, instead of as a lab that could not start. The process is
 * this one's child, and is killed (by its PID) once it has answered or failed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FaultlineError, parseMaelstromMessage } from '@faultline/protocol';

const lastLine = (text: string): string => text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';

export function preflight(bin: readonly string[], timeoutMs = 10_000): Promise<void> {
  const [file, ...args] = bin;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let firstBad: string | undefined;
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error === undefined) resolve();
      else reject(new FaultlineError('failed', `${bin.join(' ')}: ${error}`));
    };
    const timer = setTimeout(() => finish(`did not answer init within ${timeoutMs / 1000} s${firstBad ? `; the first line it printed that was not a message: ${firstBad}` : ' (it printed nothing on stdout: is it reading stdin?)'}`), timeoutMs);
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4_000)));
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => finish(`could not run it: ${err.message}`));
    child.on('close', (code, signal) => finish(`exited (${signal ?? `code ${code}`}) before it answered init${stderr.trim() ? `; its last words on stderr: ${lastLine(stderr)}` : ''}`));
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (line.trim() === '') return;
      const parsed = parseMaelstromMessage(line);
      if (!parsed.ok) firstBad ??= parsed.error;
      else if (parsed.value.body.type === 'init_ok') finish();
    });
    child.stdin.write(`${JSON.stringify({ src: 'c0', dest: 'n1', body: { type: 'init', msg_id: 1, node_id: 'n1', node_ids: ['n1'] } })}\n`);
  });
}
