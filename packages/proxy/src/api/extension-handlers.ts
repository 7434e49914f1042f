/** faultline's extensions to the Toxiproxy API: `GET /capabilities` and `GET /events`. */
import type { ProxyCapabilities } from '@faultline/protocol';
import { serveEvents } from '../events/sse.js';
import { messageToxics, standardToxics } from '../toxics/registry.js';
import type { RouteHandler } from './context.js';
import { TOXIPROXY_VERSION } from './proxy-handlers.js';
import { sendJson } from './respond.js';

export const FAULTLINE_PROXY_VERSION = '0.1.0';

export function capabilities(seed: bigint): ProxyCapabilities {
  return {
    server: 'faultline-proxy',
    version: FAULTLINE_PROXY_VERSION,
    toxiproxyCompatible: TOXIPROXY_VERSION,
    toxics: [...standardToxics, ...messageToxics].map((t) => t.type),
    messageToxics: messageToxics.map((t) => ({ type: t.type, attributes: Object.keys(t.attributes), description: t.description })),
    events: { path: '/events', format: 'text/event-stream' },
    seed: seed.toString(),
  };
}

export const capabilitiesHandler: RouteHandler = (ctx, _req, res) => {
  sendJson(res, 200, JSON.stringify(capabilities(ctx.host.seed)));
};

export const eventsHandler: RouteHandler = (ctx, req, res) => {
  serveEvents(ctx.events, req, res);
};
