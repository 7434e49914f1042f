/**
 * One node's control channel, once it said hello: sends commands and matches each `reply` to its
 * command by id. Every command has a deadline; a channel that closes fails what is still pending.
 */
import type { Command, CoordinatorToNode, NodeId } from '@faultline/protocol';
import type { WebSocket } from 'ws';
import { FaultlineError } from '@faultline/protocol';

export interface Hello {
  readonly node: NodeId;
  readonly pid: number;
  readonly port: number;
}

interface Pending {
  readonly type: Command['type'];
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: FaultlineError) => void;
  readonly timer: NodeJS.Timeout;
}

export class NodeChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private open = true;
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    readonly hello: Hello,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.once('close', () => this.failAll());
  }

  get node(): NodeId {
    return this.hello.node;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Sends `command`; resolves with the node's `result`, rejects with a FaultlineError. */
  command(command: Command, timeoutMs: number): Promise<unknown> {
    if (!this.open) return Promise.reject(new FaultlineError('conflict', `${this.node}'s control channel is closed`));
    const id = this.nextId++;
    const message: CoordinatorToNode = { kind: 'command', id, command };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new FaultlineError('timeout', `${this.node} did not answer ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { type: command.type, resolve, reject, timer });
      this.ws.send(JSON.stringify(message), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new FaultlineError('failed', `could not send ${command.type} to ${this.node}: ${err.message}`, { cause: err }));
      });
    });
  }

  /** A `reply` from the node. */
  answer(id: number, ok: boolean, result: unknown, error: string | undefined): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (ok) pending.resolve(result);
    // A node refuses what it cannot accept (e.g. a drift out of range): the request was wrong.
    else pending.reject(new FaultlineError('bad-request', `${this.node} refused ${pending.type}: ${error ?? 'no reason given'}`));
  }

  close(): void {
    this.open = false;
    this.ws.terminate();
  }

  private failAll(): void {
    this.open = false;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(new FaultlineError('failed', `${this.node}'s control channel closed before it answered ${pending.type}`));
    }
  }
}
