/** All proxies by name (Toxiproxy's ProxyCollection). */
import { Proxy } from './proxy.js';

export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();

  get(name: string): Proxy | undefined {
    return this.proxies.get(name);
  }

  has(name: string): boolean {
    return this.proxies.has(name);
  }

  /** Sorted by name, as Go's json.Marshal prints a map. */
  all(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.proxies.size;
  }

  set(proxy: Proxy): void {
    this.proxies.set(proxy.name, proxy);
  }

  delete(name: string): void {
    const proxy = this.proxies.get(name);
    proxy?.stop();
    this.proxies.delete(name);
  }

  clear(): void {
    for (const p of this.proxies.values()) p.stop();
    this.proxies.clear();
  }
}
