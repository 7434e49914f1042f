/**
 * A student's side of the class (shell): `faultline class join HOST CODE`. One WebSocket to the
 * instructor's console, opened again whenever it drops (a laptop asleep, Wi-Fi gone), with the
 * same identity; the lab's state sent every few seconds; each assignment handed to `handle` once;
 * every prediction and verdict numbered and kept in the identity file until the console has
 * acknowledged it, so nothing is lost when the connection, or this process, goes away.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { classFrameSchema, parseJsonWith, studentEventSchema, type Assignment, type LabReport, type StudentEvent, type StudentFrame } from '@faultline/protocol';
import { WebSocket } from 'ws';

/** What the identity file keeps: who this lab is in the class, and what the class may not have yet. */
const identitySchema = z.object({
  server: z.string(),
  code: z.string(),
  id: z.string(),
  name: z.string(),
  nextSeq: z.number().int().min(1),
  pending: z.array(z.object({ seq: z.number().int().min(1), event: studentEventSchema })),
  handled: z.array(z.number().int()),
});
type Identity = z.infer<typeof identitySchema>;

export interface StudentOptions {
  /** `host:port` of the console. */
  readonly server: string;
  readonly code: string;
  readonly name: string;
  /** Where the identity is kept (`.faultline/class.json`): the same file, the same student. */
  readonly file: string;
  /** The lab's state now. */
  readonly report: () => Promise<LabReport>;
  /** Runs an assignment; `emit` sends a prediction or verdict (kept until acknowledged). */
  readonly handle: (assignment: Assignment, emit: (event: StudentEvent) => void) => Promise<void>;
  /** Heard as things happen (joined, dropped, refused), one line each. */
  readonly say: (line: string) => void;
  readonly reportEveryMs?: number;
}

export interface JoinedClass {
  readonly id: string;
  /** Resolves when the console refuses this lab (a wrong code), with why. */
  readonly refused: Promise<string>;
  /** Events not yet acknowledged. */
  pending(): number;
  stop(): Promise<void>;
}

const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

function loadIdentity(options: StudentOptions): Identity {
  if (existsSync(options.file)) {
    const parsed = identitySchema.safeParse(JSON.parse(readFileSync(options.file, 'utf8')));
    // The same class: the same student, and what it still owes.
    if (parsed.success && parsed.data.server === options.server && parsed.data.code === options.code) return { ...parsed.data, name: options.name };
  }
  return { server: options.server, code: options.code, id: randomBytes(10).toString('hex'), name: options.name, nextSeq: 1, pending: [], handled: [] };
}

export function joinClass(options: StudentOptions): JoinedClass {
  const identity = loadIdentity(options);
  const save = (): void => {
    mkdirSync(dirname(options.file), { recursive: true });
    const tmp = `${options.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(identity, null, 2));
    renameSync(tmp, options.file);
  };
  save();
  let ws: WebSocket | undefined;
  let stopped = false;
  let tries = 0;
  let reportTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let refuse!: (why: string) => void;
  const refused = new Promise<string>((resolve) => (refuse = resolve));
  /** Assignments taken in (run, or waiting their turn): the console names them all again at every welcome. */
  const taken = new Set<number>();

  const send = (frame: StudentFrame): void => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const emit = (event: StudentEvent): void => {
    const item = { seq: identity.nextSeq++, event };
    identity.pending.push(item);
    save();
    send({ type: 'event', ...item });
  };
  const reportLab = async (): Promise<void> => {
    const report = await options.report().catch((err: unknown) => ({ up: false, nodes: 0, lesson: null, error: (err as Error).message.split('\n')[0].slice(0, 300) }));
    send({ type: 'lab', report });
  };
  const runOnce = async (assignment: Assignment): Promise<void> => {
    try {
      await options.handle(assignment, emit);
    } catch (err) {
      emit({ type: 'verdict', assignment: assignment.id, passed: false, checks: [], error: (err as Error).message.split('\n')[0].slice(0, 500) });
    }
    identity.handled.push(assignment.id);
    save();
    void reportLab();
  };
  // Assignments run one after another, in the order they were pushed, each once.
  let queue = Promise.resolve();
  const enqueue = (assignment: Assignment): void => {
    if (taken.has(assignment.id) || identity.handled.includes(assignment.id)) return;
    taken.add(assignment.id);
    queue = queue.then(() => runOnce(assignment));
  };

  const connect = (): void => {
    if (stopped) return;
    const socket = new WebSocket(`ws://${options.server}/join`, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    ws = socket;
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'hello', code: options.code, id: identity.id, name: identity.name } satisfies StudentFrame));
    });
    socket.on('message', (data: Buffer) => {
      const parsed = parseJsonWith(classFrameSchema, data.toString('utf8'), 'frame');
      if (!parsed.ok) return;
      const frame = parsed.value;
      switch (frame.type) {
        case 'welcome':
          options.say(tries > 0 ? `back in the class at ${options.server}` : `joined the class at ${options.server} as ${identity.name}`);
          tries = 0;
          // What the class holds is done with; the rest goes again, in order.
          identity.pending = identity.pending.filter((p) => p.seq > frame.acked);
          save();
          for (const item of identity.pending) send({ type: 'event', ...item });
          void reportLab();
          clearInterval(reportTimer);
          reportTimer = setInterval(() => void reportLab(), options.reportEveryMs ?? 3_000);
          for (const assignment of frame.assignments) enqueue(assignment);
          return;
        case 'ack':
          identity.pending = identity.pending.filter((p) => p.seq !== frame.seq);
          save();
          return;
        case 'assign':
          enqueue(frame.assignment);
          return;
        case 'refused':
          stopped = true;
          refuse(frame.reason);
          return;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(reportTimer);
      if (stopped) return;
      const wait = RETRY_MS[Math.min(tries, RETRY_MS.length - 1)];
      if (tries === 0) options.say(`lost the class at ${options.server}; trying again (every ${RETRY_MS.at(-1)! / 1000} s at most)`);
      tries += 1;
      retryTimer = setTimeout(connect, wait);
    });
  };
  connect();

  return {
    id: identity.id,
    refused,
    pending: () => identity.pending.length,
    stop: async () => {
      stopped = true;
      clearInterval(reportTimer);
      clearTimeout(retryTimer);
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        const closed = new Promise((resolve) => ws!.once('close', resolve));
        ws.close(1000);
        await closed;
      }
    },
  };
}
