/**
 * One direction of one proxied connection (Toxiproxy's ToxicLink): bytes read from `source` go
 * through the message stages (faultline's WebSocket toxics, on whole messages) and then the byte
 * stages (Toxiproxy's toxics, in the order they were added) and are written to `dest`.
 *
 * With no toxics the bytes go straight from one socket to the other with backpressure. On a
 * connection that upgraded to WebSocket a `MessageFramer` watches the frames so that a message
 * toxic added at any time starts at a message boundary.
 */
import type { Socket } from 'node:net';
import { createRng, type Rng } from '@faultline/random';
import type { Direction, MessageEventDraft } from '../toxics/toxic.js';
import { MessageFramer } from '../ws/message-framer.js';
import { CoalescingWriter } from './coalescing-writer.js';
import { nowMs, touch } from './precise-timer.js';
import { Stage, type StageHost, type StageSink, type ToxicSpec } from './stage.js';

const HIGH_WATER_BYTES = 8 * 1024 * 1024;
const LOW_WATER_BYTES = 4 * 1024 * 1024;
const WRITE_BUFFER_BYTES = 1024 * 1024;
const BULK_READ_BYTES = 32 * 1024;

export interface LinkOwner {
  readonly proxyName: string;
  readonly connection: number;
  readonly seed: bigint;
  event(direction: Direction, draft: MessageEventDraft): void;
  /** The link's output ended: half-close happened on `dest`; the owner tears the rest down. */
  linkEnded(link: Link): void;
  reset(): void;
}

export class Link implements StageHost {
  private framer: MessageFramer | undefined;
  private readonly messageStages: Stage[] = [];
  private readonly byteStages: Stage[] = [];
  private head: StageSink;
  private bufferedBytes = 0;
  private readonly writer: CoalescingWriter;
  private pausedForBuffer = false;
  private pausedForDrain = false;
  private inputDone = false;
  done = false;

  private readonly sink: StageSink = {
    data: (chunk) => {
      if (this.done) return;
      this.writer.write(chunk.data);
      // Pause the source at our own 1 MiB rather than the socket's 16 KiB high-water mark, so a
      // bulk transfer is not stopped and restarted after every 64 KiB read.
      if (this.writer.pendingBytes > WRITE_BUFFER_BYTES && !this.pausedForDrain) {
        this.pausedForDrain = true;
        this.updatePause();
      }
    },
    end: () => this.finish(),
  };

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly owner: LinkOwner,
    toxics: ToxicSpec[],
  ) {
    this.head = this.sink;
    this.writer = new CoalescingWriter(dest);
    this.framer = new MessageFramer(direction);
    for (const spec of toxics) this.addToxic(spec);
    dest.on('drain', () => {
      this.pausedForDrain = false;
      this.updatePause();
    });
    source.on('data', (buf: Buffer) => this.input(buf));
    source.on('end', () => this.endInput());
  }

  private input(buf: Buffer): void {
    if (this.inputDone) return;
    // Busy-poll after small reads (request/response traffic, where a wake-up is most of the
    // delay); a full 64 KiB read is bulk traffic, which keeps the loop busy by itself.
    if (buf.length < BULK_READ_BYTES) touch();
    const framer = this.framer;
    if (framer === undefined) {
      if (this.head === this.sink) this.sink.data({ data: buf, arrivalMs: 0 });
      else this.head.data({ data: buf, arrivalMs: nowMs() });
      return;
    }
    const arrivalMs = nowMs();
    for (const item of framer.push(buf, arrivalMs)) this.head.data({ data: item.data, arrivalMs, unit: item.unit });
    if (framer.passthrough) this.framer = undefined;
  }

  /** The source ended (FIN, error, or the other direction closed it). */
  endInput(): void {
    if (this.inputDone) return;
    this.inputDone = true;
    if (this.framer) {
      const arrivalMs = nowMs();
      for (const item of this.framer.flush()) this.head.data({ data: item.data, arrivalMs, unit: item.unit });
    }
    this.head.end();
  }

  addToxic(spec: ToxicSpec): void {
    const label = `${this.owner.proxyName}/${this.owner.connection}/${this.direction}/${spec.name}`;
    const rng = createRng(this.owner.seed, label);
    // Message toxics draw from one stream a message type (kept across updates), so heartbeats do not shift a ping's draw.
    const streams = new Map<string, Rng>();
    const rngFor = (key: string): Rng => {
      let stream = streams.get(key);
      if (!stream) streams.set(key, (stream = createRng(this.owner.seed, `${label}/${key}`)));
      return stream;
    };
    const list = spec.def.messageLevel ? this.messageStages : this.byteStages;
    // Message toxics come first: they act on whole messages, before any byte toxic splits or delays them.
    const before = spec.def.messageLevel ? this.messageStages.length : this.messageStages.length + this.byteStages.length;
    const all = this.stages();
    const next = all[before] ?? this.sink;
    const stage = new Stage(spec, next, this, rng, rngFor);
    list.push(stage);
    this.relink();
    this.framer?.setAligned(this.messageStages.length > 0);
  }

  updateToxic(spec: ToxicSpec): void {
    this.find(spec.name)?.update(spec);
  }

  removeToxic(name: string): void {
    const stage = this.find(name);
    if (!stage) return;
    const list = this.messageStages.includes(stage) ? this.messageStages : this.byteStages;
    list.splice(list.indexOf(stage), 1);
    this.relink();
    stage.remove();
    this.framer?.setAligned(this.messageStages.length > 0);
  }

  /** Stops everything without flushing (the connection is being destroyed). */
  dispose(): void {
    this.done = true;
    this.inputDone = true;
    this.writer.drop();
    for (const s of this.stages()) s.dispose();
  }

  // StageHost
  reset(): void {
    this.owner.reset();
  }

  event(draft: MessageEventDraft): void {
    this.owner.event(this.direction, draft);
  }

  buffered(delta: number): void {
    this.bufferedBytes += delta;
    const over = this.bufferedBytes > HIGH_WATER_BYTES;
    if (over && !this.pausedForBuffer) {
      this.pausedForBuffer = true;
      this.updatePause();
    } else if (this.pausedForBuffer && this.bufferedBytes < LOW_WATER_BYTES) {
      this.pausedForBuffer = false;
      this.updatePause();
    }
  }

  private updatePause(): void {
    if (this.pausedForBuffer || this.pausedForDrain) this.source.pause();
    else if (!this.inputDone) this.source.resume();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.writer.flush();
    this.dest.end();
    this.owner.linkEnded(this);
  }

  private stages(): Stage[] {
    return [...this.messageStages, ...this.byteStages];
  }

  private relink(): void {
    const all = this.stages();
    for (let i = 0; i < all.length; i++) all[i].next = all[i + 1] ?? this.sink;
    this.head = all[0] ?? this.sink;
  }

  private find(name: string): Stage | undefined {
    return this.stages().find((s) => s.name === name);
  }
}
