/**
 * The node's outbound connections: one WebSocket per peer, to the `ws://` URL of the proxy of the
 * directed link this node → peer. Every message for that peer goes on it, replies included, so
 * each directed proxy carries exactly one direction's messages.
 *
 * A link that closes or fails to open is reopened after a backoff with jitter (`backoff.ts`,
 * seeded). `onLink(peer, up)` reports every change of a link's state: up when it opens, down
 * when an open link closes (or is replaced or removed). Nothing is queued: `send` on a link that
 * is not open returns false and the message is gone.
 */
import type { NodeId } from '@faultline/protocol';
import type { Logger } from './logger.js';
import { WebSocket } from 'ws';
import { DEFAULT_BACKOFF, reconnectDelayMs, type BackoffOptions } from './backoff.js';
import type { Rng } from '@faultline/random';
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import { zeroMask } from './zero-mask.js';

export interface PeerLinksOptions {
  readonly rng: Rng;
  readonly logger: Logger;
  readonly onLink: (peer: NodeId, up: boolean) => void;
  readonly backoff?: BackoffOptions;
  /** The lab's secret, sent in every handshake (the proxy passes the header on to the peer). */
  readonly secret: string;
}

interface Link {
  readonly peer: NodeId;
  readonly url: string;
  ws: WebSocket | null;
  up: boolean;
  /** Failed or closed connections in a row (0 once one opens). */
  failures: number;
  timer: NodeJS.Timeout | null;
  /** Replaced or removed: its events no longer matter. */
  retired: boolean;
}

export class PeerLinks {
  private readonly links = new Map<NodeId, Link>();

  constructor(private readonly options: PeerLinksOptions) {}

  /** Connect to exactly these peers; a peer whose URL changed gets a new connection. */
  set(peers: Readonly<Record<NodeId, string>>): void {
    for (const [peer, link] of this.links) {
      if (peers[peer] !== link.url) this.retire(link);
    }
    for (const [peer, url] of Object.entries(peers)) {
      if (this.links.has(peer)) continue;
      const link: Link = { peer, url, ws: null, up: false, failures: 0, timer: null, retired: false };
      this.links.set(peer, link);
      this.connect(link);
    }
  }

  /** Send `text` to `peer` if its link is open now; false if it is not (nothing is queued). */
  send(peer: NodeId, text: string): boolean {
    const ws = this.links.get(peer)?.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    return true;
  }

  /**
   * Send each frame, in order, as `send` does; answers the ones whose link was not open. The
   * sockets are corked meanwhile, so a turn's frames to one peer leave in one write, not one each.
   */
  sendAll<F extends { readonly peer: NodeId; readonly text: string }>(frames: readonly F[]): F[] {
    const lost: F[] = [];
    const corked = new Set<Corkable>();
    try {
      for (const frame of frames) {
        const ws = this.links.get(frame.peer)?.ws;
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          lost.push(frame);
          continue;
        }
        const socket = socketOf(ws);
        if (socket && !corked.has(socket)) {
          socket.cork();
          corked.add(socket);
        }
        ws.send(frame.text);
      }
    } finally {
      for (const socket of corked) socket.uncork();
    }
    return lost;
  }

  /** Close every link (no `onLink` calls). */
  close(): void {
    for (const link of this.links.values()) {
      link.retired = true;
      this.teardown(link);
    }
    this.links.clear();
  }

  private connect(link: Link): void {
    const { logger } = this.options;
    const ws = new WebSocket(link.url, { perMessageDeflate: false, handshakeTimeout: 5_000, generateMask: zeroMask, headers: { [LAB_SECRET_HEADER]: this.options.secret } });
    link.ws = ws;
    ws.on('open', () => {
      if (link.retired) return;
      link.failures = 0;
      link.up = true;
      logger.debug({ peer: link.peer, url: link.url }, 'link up');
      this.options.onLink(link.peer, true);
    });
    ws.on('message', () => logger.debug({ peer: link.peer }, 'ignored a message on an outbound link (peers answer on their own links)'));
    ws.on('error', (err) => logger.debug({ peer: link.peer, err: err.message }, 'link error'));
    ws.on('close', () => {
      if (link.retired || link.ws !== ws) return;
      link.ws = null;
      this.markDown(link);
      link.failures += 1;
      const delayMs = reconnectDelayMs(link.failures, this.options.rng, this.options.backoff ?? DEFAULT_BACKOFF);
      logger.debug({ peer: link.peer, delayMs: Math.round(delayMs), failures: link.failures }, 'link closed; reconnecting');
      link.timer = setTimeout(() => {
        link.timer = null;
        if (!link.retired) this.connect(link);
      }, delayMs);
    });
  }

  private retire(link: Link): void {
    link.retired = true;
    this.links.delete(link.peer);
    this.teardown(link);
    this.markDown(link);
  }

  private markDown(link: Link): void {
    if (!link.up) return;
    link.up = false;
    this.options.logger.debug({ peer: link.peer }, 'link down');
    this.options.onLink(link.peer, false);
  }

  private teardown(link: Link): void {
    if (link.timer) clearTimeout(link.timer);
    link.timer = null;
    const ws = link.ws;
    link.ws = null;
    if (!ws) return;
    // terminate() on a socket that is still connecting emits 'error' ("closed before the connection
    // was established"); the listener above only logs it.
    ws.terminate();
  }
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * The TCP socket under a `ws` WebSocket (`_socket`: not public API, but stable across ws 1–8).
 * Only an optimisation rides on it: without it every frame is simply its own write.
 */
function socketOf(ws: WebSocket): Corkable | undefined {
  const socket = (ws as unknown as { _socket?: Partial<Corkable> })._socket;
  return typeof socket?.cork === 'function' && typeof socket.uncork === 'function' ? (socket as Corkable) : undefined;
}
