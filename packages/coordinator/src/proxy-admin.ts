/**
 * The lab's side of the Toxiproxy HTTP API (shell), through toxiproxy-node-client, so it works on
 * faultline-proxy and on a real Toxiproxy alike. `GET /capabilities` tells the two apart: only
 * faultline-proxy answers it, and only then are message faults and `GET /events` available.
 */
import { parseWith, proxyCapabilitiesSchema, type ProxyCapabilities } from '@faultline/protocol';
import { Toxiproxy, type ICreateToxicBody, type Proxy } from 'toxiproxy-node-client';
import type { ToxicChange } from './fault-book.js';
import { FaultlineError } from '@faultline/protocol';
import type { Link } from './links.js';

function portOf(address: string): number {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new FaultlineError('failed', `the proxy answered a listen address without a port: ${address}`);
  return port;
}

/** The header a token asks for, if any. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The client sends no headers of its own; its one HTTP client (shared by every proxy object it
 * makes) gets the token added to each request.
 */
function withToken(client: Toxiproxy, token: string): void {
  const api = client.getApi() as unknown as { doFetch: (url: string, init: RequestInit) => Promise<Response> };
  const doFetch = api.doFetch.bind(api);
  api.doFetch = (url, init) => doFetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...authHeaders(token) } });
}

async function capabilitiesOf(url: string, token: string | undefined): Promise<ProxyCapabilities | undefined> {
  const res = await fetch(`${url}/capabilities`, { headers: authHeaders(token) });
  if (res.status !== 200) {
    await res.body?.cancel();
    return undefined;
  }
  const parsed = parseWith(proxyCapabilitiesSchema, await res.json(), 'capabilities');
  return parsed.ok ? parsed.value : undefined;
}

export class ProxyAdmin {
  private readonly proxies = new Map<string, Proxy>();

  private constructor(
    readonly url: string,
    private readonly client: Toxiproxy,
    /** faultline-proxy's self-description; undefined on a real Toxiproxy. */
    readonly capabilities: ProxyCapabilities | undefined,
    /** Sent with every request, the event stream's too. */
    readonly token?: string,
  ) {}

  /**
   * `token`: faultline-proxy's API token, needed where it listens beyond loopback (its own
   * container): sent as `Authorization: Bearer …` on every request (a real Toxiproxy ignores it).
   */
  static async connect(url: string, token?: string): Promise<ProxyAdmin> {
    const base = url.replace(/\/+$/, '');
    const client = new Toxiproxy(base);
    if (token) withToken(client, token);
    try {
      await client.getVersion();
      return new ProxyAdmin(base, client, await capabilitiesOf(base, token), token);
    } catch (err) {
      throw new FaultlineError('failed', `no Toxiproxy answers at ${base}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** True when the proxy is faultline's: message faults and message events are available. */
  get messageFaults(): boolean {
    return this.capabilities !== undefined;
  }

  /** True when the proxy has message toxic `type` (e.g. `ws_cut`, which newer faultline-proxies have). */
  hasToxic(type: string): boolean {
    return this.capabilities?.messageToxics.some((t) => t.type === type) ?? false;
  }

  /** The URL of the message event stream (faultline-proxy only). */
  get eventsUrl(): string | undefined {
    return this.capabilities ? `${this.url}${this.capabilities.events.path}` : undefined;
  }

  /**
   * Creates one proxy per link in one request, listening on `listenHost` (127.0.0.1; 0.0.0.0 where
   * the nodes are other hosts); answers each link's listen port.
   */
  async createLinks(entries: ReadonlyArray<{ link: Link; upstreamHost: string; upstreamPort: number }>, listenHost = '127.0.0.1'): Promise<Map<string, number>> {
    // A lab of one node has no links (and the proxy answers an empty populate with no list).
    if (entries.length === 0) return new Map();
    const body = entries.map(({ link, upstreamHost, upstreamPort }) => ({
      name: link.name,
      listen: `${listenHost}:0`,
      upstream: `${upstreamHost}:${upstreamPort}`,
      enabled: true,
    }));
    const created = await this.call('populate', 'the links', () => this.client.populate(body));
    const ports = new Map<string, number>();
    for (const { link } of entries) {
      const proxy = created[link.name];
      if (!proxy) throw new FaultlineError('failed', `the proxy did not create ${link.name}`);
      this.proxies.set(link.name, proxy);
      ports.set(link.name, portOf(proxy.listen));
    }
    return ports;
  }

  /** Points link `name` at a new upstream port (a revived node); the listen port stays. */
  async setUpstream(name: string, host: string, port: number): Promise<void> {
    const proxy = this.proxy(name);
    const updated = await this.call('update', name, () => proxy.update({ enabled: true, listen: proxy.listen, upstream: `${host}:${port}` }));
    this.proxies.set(name, updated);
  }

  async apply(change: ToxicChange): Promise<void> {
    const proxy = this.proxy(change.link.name);
    const { toxic } = change;
    const path = `${proxy.getPath()}/toxics`;
    const api = this.client.getApi();
    switch (change.op) {
      case 'add':
        // faultline-proxy's message toxics (ws_*) are types the client's union does not list.
        await this.call('add toxic', `${toxic.name} on ${proxy.name}`, () => proxy.addToxic(toxic as ICreateToxicBody<unknown> as never));
        return;
      case 'update':
        await this.call('update toxic', `${toxic.name} on ${proxy.name}`, () =>
          api.post(`${path}/${toxic.name}`, { attributes: toxic.attributes, toxicity: toxic.toxicity }),
        );
        return;
      case 'remove':
        await this.call('remove toxic', `${toxic.name} on ${proxy.name}`, () => api.delete(`${path}/${toxic.name}`));
        return;
    }
  }

  /** Deletes every proxy this lab created (for a shared, external proxy). */
  async removeLinks(): Promise<void> {
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.allSettled(proxies.map((p) => p.remove()));
  }

  private proxy(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new FaultlineError('unknown-node', `the lab has no link ${name}`);
    return proxy;
  }

  private async call<T>(op: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new FaultlineError('failed', `the proxy at ${this.url} failed to ${op} ${what}: ${(err as Error).message}`, { cause: err });
    }
  }
}
