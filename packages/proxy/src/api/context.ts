import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../events/event-bus.js';
import type { ProxyHost } from '../model/proxy.js';
import type { ProxyCollection } from '../model/proxy-collection.js';

/** What every API handler gets: the proxies, the host services and the body reader. */
export interface ApiContext {
  proxies: ProxyCollection;
  host: ProxyHost;
  events: EventBus;
  body(req: IncomingMessage): Promise<Buffer>;
}

export type RouteHandler = (
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  vars: Record<string, string>,
) => Promise<void> | void;
