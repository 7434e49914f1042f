/** `/proxies`, `/populate`, `/reset`, `/version`: Toxiproxy's proxy endpoints, answer for answer. */
import { goDecode, goMarshal, goSortedObject, populateType, proxyType, type GoJson } from '../go-json/index.js';
import { FaultlineError } from '@faultline/protocol';
import { Proxy } from '../model/proxy.js';
import { apiStatus, ErrBadRequestBody, ErrMissingField, ErrProxyAlreadyExists, ErrProxyNotFound, joinError } from './api-error.js';
import { proxyJson } from './render.js';
import { sendJson, sendNoContent } from './respond.js';
import type { ApiContext, RouteHandler } from './context.js';

export const TOXIPROXY_VERSION = '2.12.0';

interface ProxyInput { name?: string; listen?: string; upstream?: string; enabled?: boolean }

/** Errors without a code of the proxy's API are answered 500 with their message, as Toxiproxy does. */
export function asApiError(err: unknown): FaultlineError {
  if (err instanceof FaultlineError && err.code.startsWith('proxy-')) return err;
  return new FaultlineError('proxy-internal', err instanceof Error ? err.message : String(err), { cause: err });
}

export function getProxy(ctx: ApiContext, name: string): Proxy {
  const proxy = ctx.proxies.get(name);
  if (!proxy) throw ErrProxyNotFound;
  return proxy;
}

export const version: RouteHandler = (_ctx, _req, res) => {
  const body = `{"version": "${TOXIPROXY_VERSION}"}\n`;
  res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

export const proxyIndex: RouteHandler = (ctx, _req, res) => {
  sendJson(res, 200, goMarshal(goSortedObject(ctx.proxies.all().map((p) => [p.name, proxyJson(p)]))));
};

export const proxyCreate: RouteHandler = async (ctx, req, res) => {
  const decoded = goDecode(await ctx.body(req), proxyType, { enabled: true });
  if (!decoded.ok) throw joinError(ErrBadRequestBody, decoded.error);
  const input = decoded.value as ProxyInput;
  if (!input.name) throw joinError(ErrMissingField, 'name');
  if (!input.upstream) throw joinError(ErrMissingField, 'upstream');
  if (ctx.proxies.has(input.name)) throw ErrProxyAlreadyExists;
  const proxy = new Proxy(input.name, input.listen ?? '', input.upstream, ctx.host);
  if (input.enabled) await proxy.start();
  ctx.proxies.set(proxy);
  sendJson(res, 201, goMarshal(proxyJson(proxy)));
};

export const proxyShow: RouteHandler = (ctx, _req, res, vars) => {
  sendJson(res, 200, goMarshal(proxyJson(getProxy(ctx, vars.proxy))));
};

export const proxyUpdate: RouteHandler = async (ctx, req, res, vars) => {
  if (req.method === 'POST') ctx.host.logger.warn('ProxyUpdate: HTTP method POST is deprecated. Use HTTP PATCH instead.');
  const proxy = getProxy(ctx, vars.proxy);
  const current = { listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled };
  const decoded = goDecode(await ctx.body(req), proxyType, current);
  if (!decoded.ok) throw joinError(ErrBadRequestBody, decoded.error);
  const input = decoded.value as Required<Omit<ProxyInput, 'name'>>;
  await proxy.update(input.listen, input.upstream, input.enabled);
  sendJson(res, 200, goMarshal(proxyJson(proxy)));
};

export const proxyDelete: RouteHandler = (ctx, _req, res, vars) => {
  getProxy(ctx, vars.proxy);
  ctx.proxies.delete(vars.proxy);
  sendNoContent(res);
};

export const resetState: RouteHandler = async (ctx, _req, res) => {
  for (const proxy of ctx.proxies.all()) {
    if (!proxy.enabled) await proxy.start();
    proxy.toxics.reset();
  }
  sendNoContent(res);
};

/** Go's AddOrReplace: an unchanged proxy is kept as it is (toxics, enabled and all). */
async function addOrReplace(ctx: ApiContext, input: Required<ProxyInput>): Promise<Proxy> {
  const existing = ctx.proxies.get(input.name);
  if (existing) {
    if (!(await existing.differs(input.listen, input.upstream))) return existing;
    existing.stop();
  }
  const proxy = new Proxy(input.name, input.listen, input.upstream, ctx.host);
  if (input.enabled) await proxy.start();
  ctx.proxies.set(proxy);
  return proxy;
}

/** Creates or replaces many proxies; returns those done, and the error that stopped it, if any. */
export async function populate(ctx: ApiContext, body: Buffer): Promise<{ proxies: Proxy[]; error?: FaultlineError }> {
  const decoded = goDecode(body, populateType);
  if (!decoded.ok) return { proxies: [], error: joinError(ErrBadRequestBody, decoded.error) };
  const inputs = (decoded.value ?? []) as ProxyInput[];
  for (let i = 0; i < inputs.length; i++) {
    if (!inputs[i].name) return { proxies: [], error: joinError(ErrMissingField, `name at proxy ${i + 1}`) };
    if (!inputs[i].upstream) return { proxies: [], error: joinError(ErrMissingField, `upstream at proxy ${i + 1}`) };
  }
  const proxies: Proxy[] = [];
  for (const input of inputs) {
    const full = { name: input.name!, upstream: input.upstream!, listen: input.listen ?? '', enabled: input.enabled ?? true };
    try {
      proxies.push(await addOrReplace(ctx, full));
    } catch (err) {
      return { proxies, error: asApiError(err) };
    }
  }
  return { proxies };
}

export const populateHandler: RouteHandler = async (ctx, req, res) => {
  const { proxies, error } = await populate(ctx, await ctx.body(req));
  if (error) ctx.host.logger.warn({ err: error.message }, 'Populate errors');
  const list: GoJson = proxies.length === 0 ? null : proxies.map(proxyJson);
  const fields: Array<[string, GoJson]> = error ? [['error', error.message], ['status', apiStatus(error)]] : [];
  fields.push(['proxies', list]);
  sendJson(res, error ? apiStatus(error) : 201, goMarshal({ $object: fields }));
};
