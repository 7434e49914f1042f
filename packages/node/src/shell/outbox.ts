/**
 * What the node writes in one event-loop turn, held until the turn ends and then written at once:
 * first every control message (traces and replies, in the order the core made them) as `batch`
 * frames of at most `MAX_BATCH` messages, then every peer frame, in order.
 *
 * Why: a burst is thousands of traces; one frame each costs thousands of syscalls here and
 * thousands of frames to parse and lines to write at the coordinator, where one frame costs one.
 * And order: a send's trace is on the control channel before the message itself leaves on its link,
 * so the coordinator hears of a send no later than the proxy can see the message. Nothing waits
 * longer than the turn; `flush` writes at once (the node calls it before it closes).
 */
import { MAX_BATCH, type BatchedMessage, type NodeId } from '@faultline/protocol';

/** An envelope for `peer`: its JSON, and its id (for the log, if it is lost). */
export interface PeerFrame {
  readonly peer: NodeId;
  readonly text: string;
  readonly msg: string;
}

export interface OutboxIo {
  /** Write one `batch` frame on the control channel; false if it is not open. */
  control(messages: BatchedMessage[]): boolean;
  /** Write these frames to their peers, in order; answers those whose link was not open (lost). */
  peers(frames: readonly PeerFrame[]): readonly PeerFrame[];
  /** A message whose link closed between the core's decision and the write. */
  lost(peer: NodeId, msg: string): void;
  /** Runs `flush` once the current turn is over (default `setImmediate`). */
  readonly schedule?: (flush: () => void) => void;
}

export class Outbox {
  private controlQueue: BatchedMessage[] = [];
  private peerQueue: PeerFrame[] = [];
  private scheduled = false;
  private readonly schedule: (flush: () => void) => void;

  constructor(private readonly io: OutboxIo) {
    this.schedule = io.schedule ?? ((flush) => void setImmediate(flush));
  }

  control(message: BatchedMessage): void {
    this.controlQueue.push(message);
    this.arm();
  }

  peer(peer: NodeId, text: string, msg: string): void {
    this.peerQueue.push({ peer, text, msg });
    this.arm();
  }

  /** Writes everything held: control frames first, then peer frames. */
  flush(): void {
    this.scheduled = false;
    const control = this.controlQueue;
    const peers = this.peerQueue;
    this.controlQueue = [];
    this.peerQueue = [];
    for (let i = 0; i < control.length; i += MAX_BATCH) this.io.control(control.slice(i, i + MAX_BATCH));
    if (peers.length > 0) for (const frame of this.io.peers(peers)) this.io.lost(frame.peer, frame.msg);
  }

  private arm(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }
}
