/**
 * faultline-agent's server (shell): in a node's container (or pod), it runs that node's process
 * for the coordinator, which connects over one WebSocket (protocol `agent.ts`) and asks it to
 * start the node, signal it (kill, pause, resume) and start it again. It relays what the node
 * writes, and its exit. One coordinator at a time; when it goes, the node goes too (a node never
 * outlives its lab). `GET /health` answers the container's health check.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { agentCommandSchema, parseJsonWith, type AgentCommand, type AgentEvent } from '@faultline/protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { signalNode, spawnNode, type NodeCommand, type SpawnOptions } from '../node-spawn.js';

export interface AgentOptions {
  readonly host: string;
  readonly port: number;
  /** How to start faultline-node here; the coordinator's arguments come after these. */
  readonly command: NodeCommand;
  readonly logger: Logger;
  /** Also write the node's output here (the container's log). */
  readonly echo?: (data: string) => void;
}

export interface RunningAgent {
  readonly port: number;
  close(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, coordinator: current !== undefined, node: child && !child.done ? child.pid : null }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not-found', message: 'faultline-agent answers GET /health and a WebSocket from the coordinator' }));
  });
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate: false,
    maxPayload: 256 * 1024,
    verifyClient: (info, done) => {
      // A browser page (it sends an Origin) never belongs here; nor a second coordinator.
      if (info.req.headers.origin !== undefined) return done(false, 403, 'Forbidden');
      if (current !== undefined) return done(false, 409, 'Conflict: a coordinator is already connected');
      done(true);
    },
  });
  let current: WebSocket | undefined;
  /** The node's process (the latest life). */
  let child: { pid: number; done: boolean; exited: Promise<unknown>; spawn: SpawnOptions } | undefined;

  const emit = (ws: WebSocket, event: AgentEvent): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  };

  const killChild = (): void => {
    if (!child || child.done) return;
    try {
      signalNode(child.pid, child.spawn, 'SIGCONT');
      signalNode(child.pid, child.spawn, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  const run = (ws: WebSocket, command: AgentCommand): void => {
    if (command.type === 'start') {
      if (child && !child.done) return emit(ws, { type: 'error', message: `a node runs here already (pid ${child.pid})` });
      const spawn: SpawnOptions = { group: command.group ?? false };
      const proc = spawnNode(options.command, command.args, command.env, spawn);
      if (proc.pid === undefined) return emit(ws, { type: 'error', message: `could not start ${options.command.file}` });
      const life: NonNullable<typeof child> = { pid: proc.pid, done: false, exited: Promise.resolve(), spawn };
      child = life;
      emit(ws, { type: 'started', pid: proc.pid });
      logger.info({ pid: proc.pid }, 'node started');
      const relay = (b: Buffer): void => {
        const data = b.toString('utf8');
        options.echo?.(data);
        emit(ws, { type: 'output', data });
      };
      proc.stdout?.on('data', relay);
      proc.stderr?.on('data', relay);
      life.exited = proc.then((r) => {
        life.done = true;
        logger.info({ pid: proc.pid, code: r.exitCode ?? null, signal: r.signal ?? null }, 'node exited');
        emit(ws, { type: 'exit', code: r.exitCode ?? null, signal: r.signal ?? null });
      });
      return;
    }
    if (!child || child.done) return emit(ws, { type: 'error', message: `no node runs here to send ${command.signal}` });
    try {
      // Stopped, it could not notice this agent dying: the guard will continue it then.
      signalNode(child.pid, child.spawn, command.signal);
    } catch (err) {
      emit(ws, { type: 'error', message: `${command.signal} failed: ${(err as Error).message}` });
    }
  };
  wss.on('connection', (ws: WebSocket) => {
    current = ws;
    logger.info('coordinator connected');
    emit(ws, { type: 'ready', host: hostname(), version: 1 });
    ws.on('message', (data: Buffer) => {
      const parsed = parseJsonWith(agentCommandSchema, data.toString('utf8'), 'agent command');
      if (!parsed.ok) return emit(ws, { type: 'error', message: parsed.error });
      run(ws, parsed.value);
    });
    ws.on('error', (err) => logger.warn({ err: err.message }, 'coordinator connection error'));
    ws.on('close', () => {
      if (current === ws) current = undefined;
      logger.info('coordinator gone: stopping the node');
      killChild();
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ host: options.host, port: options.port }, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      killChild();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await child?.exited;
    },
  };
}
