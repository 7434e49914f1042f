/**
 * One accepted client and its upstream connection: two links (client → upstream is `upstream`,
 * upstream → client is `downstream`), torn down the way Toxiproxy does it: when one link's output
 * ends, the socket it wrote to is closed, which ends the other link's input; the other link still
 * delivers what it holds, then closes its own destination.
 */
import type { Socket } from 'node:net';
import type { Direction, MessageEventDraft } from '../toxics/toxic.js';
import { Link, type LinkOwner } from './link.js';
import type { ToxicSpec } from './stage.js';

export interface ConnectionOwner {
  readonly proxyName: string;
  readonly seed: bigint;
  event(connection: number, direction: Direction, draft: MessageEventDraft): void;
  connectionClosed(connection: Connection): void;
}

const LINGER_MS = 10_000;

export class Connection implements LinkOwner {
  readonly links: Record<Direction, Link>;
  private closed = false;
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly connection: number,
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly owner: ConnectionOwner,
    toxics: Record<Direction, ToxicSpec[]>,
  ) {
    this.links = {
      upstream: new Link('upstream', client, upstream, this, toxics.upstream),
      downstream: new Link('downstream', upstream, client, this, toxics.downstream),
    };
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.socketFailed(socket));
      socket.on('close', () => this.socketClosed());
    }
    client.resume();
    upstream.resume();
  }

  get proxyName(): string {
    return this.owner.proxyName;
  }

  get seed(): bigint {
    return this.owner.seed;
  }

  event(direction: Direction, draft: MessageEventDraft): void {
    this.owner.event(this.connection, direction, draft);
  }

  linkEnded(link: Link): void {
    // Closing the link's destination ends the other link's input (its source is that socket).
    const other = link === this.links.upstream ? this.links.downstream : this.links.upstream;
    other.endInput();
    if (this.links.upstream.done && this.links.downstream.done) this.closeWhenFlushed();
  }

  /**
   * Both links ended and half-closed their destination: once what we wrote has left Node's buffers,
   * close both sockets entirely, as Toxiproxy's Close() does (a peer still writing then gets a RST).
   */
  private closeWhenFlushed(): void {
    let waiting = 0;
    const done = (): void => {
      if (--waiting <= 0) this.destroy();
    };
    for (const socket of [this.client, this.upstream]) {
      if (socket.writableFinished || socket.destroyed) continue;
      waiting++;
      socket.once('finish', done);
    }
    if (waiting === 0) {
      this.destroy();
      return;
    }
    this.lingerTimer = setTimeout(() => this.destroy(), LINGER_MS);
    this.lingerTimer.unref();
  }

  /** reset_peer: abort both sockets with a TCP RST (SO_LINGER 0). */
  reset(): void {
    if (this.closed) return;
    this.teardown();
    this.client.resetAndDestroy();
    this.upstream.resetAndDestroy();
  }

  /** The proxy stopped (disabled, deleted, listen or upstream changed): close both sockets now. */
  destroy(): void {
    if (this.closed) return;
    this.teardown();
    this.client.destroy();
    this.upstream.destroy();
  }

  private socketFailed(socket: Socket): void {
    // A read error ends the link reading it; a write error ends the link writing to it.
    if (this.closed) return;
    const reading = socket === this.client ? this.links.upstream : this.links.downstream;
    reading.endInput();
    const writing = socket === this.client ? this.links.downstream : this.links.upstream;
    if (!writing.done) writing.dispose();
    if (this.links.upstream.done && this.links.downstream.done) this.destroy();
  }

  private socketClosed(): void {
    if (this.client.destroyed && this.upstream.destroyed) this.teardown();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.links.upstream.dispose();
    this.links.downstream.dispose();
    this.owner.connectionClosed(this);
  }
}
