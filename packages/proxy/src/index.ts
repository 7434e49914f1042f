export { ProxyServer, type ProxyServerOptions } from './server.js';
export { TOXIPROXY_VERSION } from './api/proxy-handlers.js';
export { FAULTLINE_PROXY_VERSION, capabilities } from './api/extension-handlers.js';
export { findToxic, standardToxics, messageToxics } from './toxics/registry.js';
export type { ToxicDefinition, ToxicRunner, Action, Chunk } from './toxics/toxic.js';
