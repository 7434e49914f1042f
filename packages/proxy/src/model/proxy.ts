/**
 * One proxy (Toxiproxy's Proxy): listens on `listen`, and for every accepted client dials
 * `upstream` and joins the two through a `Connection` whose links run the proxy's toxics.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { Connection, type ConnectionOwner } from '../link/connection.js';
import type { Direction, MessageEventDraft } from '../toxics/toxic.js';
import { FaultlineError } from '@faultline/protocol';
import { formatHostPort, parseDialAddress, resolveTcpAddr } from './address.js';
import { ToxicCollection } from './toxic-collection.js';

export interface ProxyHost {
  readonly seed: bigint;
  readonly defaultListenHost: string;
  readonly logger: Logger;
  event(proxy: string, connection: number, direction: Direction, draft: MessageEventDraft): void;
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'bind: address already in use',
  EACCES: 'bind: permission denied',
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
};

export class Proxy implements ConnectionOwner {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();
  /** Accepted clients whose upstream dial is still under way. */
  private readonly pending = new Set<net.Socket>();
  private accepted = 0;

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly host: ProxyHost,
  ) {}

  get seed(): bigint {
    return this.host.seed;
  }

  get proxyName(): string {
    return this.name;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Go's `start`: listen, and replace `listen` with the real address (port 0 → the real port). */
  async start(): Promise<void> {
    if (this.enabled) throw new FaultlineError('proxy-internal', 'Proxy already started');
    let ip: string;
    let port: number;
    try {
      ({ ip, port } = await resolveTcpAddr(this.listen, this.host.defaultListenHost));
    } catch (err) {
      throw new FaultlineError('proxy-internal', `listen tcp: ${(err as Error).message}`);
    }
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true });
    server.on('connection', (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why = LISTEN_ERRORS[err.code ?? ''] ?? err.message;
        reject(new FaultlineError('proxy-internal', `listen tcp ${formatHostPort(ip, port)}: ${why}`));
      });
      server.listen({ host: ip, port, exclusive: true }, () => resolve());
    });
    server.on('error', (err) => this.host.logger.warn({ proxy: this.name, err: err.message }, 'listener error'));
    const address = server.address() as net.AddressInfo;
    this.listen = formatHostPort(address.address, address.port);
    this.server = server;
    this.enabled = true;
    this.host.logger.info({ proxy: this.name, listen: this.listen, upstream: this.upstream }, 'Started proxy');
  }

  /** Go's `stop`: stop accepting and close every open connection. */
  stop(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.server?.close();
    this.server = undefined;
    for (const c of [...this.connections]) c.destroy();
    for (const client of this.pending) client.destroy();
    this.pending.clear();
    this.host.logger.info({ proxy: this.name }, 'Terminated proxy');
  }

  /** Go's `Differs`: does `listen` (resolved) or `upstream` differ from this proxy's? */
  async differs(listen: string, upstream: string): Promise<boolean> {
    let resolved;
    try {
      resolved = await resolveTcpAddr(listen, this.host.defaultListenHost);
    } catch (err) {
      throw new FaultlineError('proxy-internal', err instanceof FaultlineError ? err.message : String(err));
    }
    return this.listen !== formatHostPort(resolved.ip, resolved.port) || this.upstream !== upstream;
  }

  /** Go's `Update`: restart on a new address or upstream; then enable or disable as asked. */
  async update(listen: string, upstream: string, enabled: boolean): Promise<void> {
    if (await this.differs(listen, upstream)) {
      this.stop();
      this.listen = listen;
      this.upstream = upstream;
    }
    if (enabled !== this.enabled) {
      if (enabled) await this.start();
      else this.stop();
    }
  }

  event(connection: number, direction: Direction, draft: MessageEventDraft): void {
    this.host.event(this.name, connection, direction, draft);
  }

  connectionClosed(connection: Connection): void {
    this.connections.delete(connection);
    this.toxics.links.delete(connection.links.upstream);
    this.toxics.links.delete(connection.links.downstream);
  }

  private accept(client: net.Socket): void {
    const number = ++this.accepted;
    const target = parseDialAddress(this.upstream);
    const log = this.host.logger;
    client.on('error', () => client.destroy());
    if (!target) {
      log.error({ proxy: this.name, upstream: this.upstream }, 'Unable to open connection to upstream');
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    upstream.pause();
    this.pending.add(client);
    upstream.once('error', (err) => {
      log.error({ proxy: this.name, upstream: this.upstream, err: err.message }, 'Unable to open connection to upstream');
      this.pending.delete(client);
      client.destroy();
      upstream.destroy();
    });
    upstream.once('connect', () => {
      this.pending.delete(client);
      upstream.removeAllListeners('error');
      client.removeAllListeners('error');
      if (!this.enabled || client.destroyed) {
        upstream.destroy();
        client.destroy();
        return;
      }
      const connection = new Connection(number, client, upstream, this, {
        upstream: this.toxics.specs('upstream'),
        downstream: this.toxics.specs('downstream'),
      });
      this.connections.add(connection);
      this.toxics.links.add(connection.links.upstream);
      this.toxics.links.add(connection.links.downstream);
    });
  }
}
