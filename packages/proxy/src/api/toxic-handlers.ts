/** `/proxies/{proxy}/toxics[/{toxic}]`: Toxiproxy's toxic endpoints, with its order of validation. */
import {
  attributesOnlyType,
  goDecode,
  goMarshal,
  noopToxicType,
  toxicAttributesType,
  toxicUpdateType,
  toxicWrapperType,
  type GoType,
} from '../go-json/index.js';
import type { AttributeValue, Toxic } from '../model/toxic-collection.js';
import { findToxic } from '../toxics/registry.js';
import type { AnyToxicDefinition, Direction } from '../toxics/toxic.js';
import { ErrBadRequestBody, ErrInvalidStream, ErrInvalidToxicType, ErrToxicAlreadyExists, ErrToxicNotFound, joinError } from './api-error.js';
import type { RouteHandler } from './context.js';
import { getProxy } from './proxy-handlers.js';
import { toxicJson } from './render.js';
import { sendJson, sendNoContent } from './respond.js';

function attributesType(def: AnyToxicDefinition): GoType {
  return toxicAttributesType(def.goName, def.attributes);
}

function zeroAttributes(def: AnyToxicDefinition): Record<string, AttributeValue> {
  return Object.fromEntries(Object.keys(def.attributes).map((k) => [k, 0]));
}

function parseDirection(stream: string): Direction | undefined {
  const s = stream.toLowerCase();
  return s === 'upstream' || s === 'downstream' ? s : undefined;
}

interface WrapperInput { name?: string; type?: string; stream?: string; toxicity?: number }

/** Toxiproxy's AddToxicJson, step for step (the order decides which error a bad body gets). */
export function parseNewToxic(body: Buffer, exists: (name: string) => boolean): Toxic {
  const first = goDecode(body, toxicWrapperType(noopToxicType), { stream: 'downstream', toxicity: 1, attributes: {} });
  if (!first.ok) throw joinError(ErrBadRequestBody, first.error);
  const input = first.value as WrapperInput;
  const stream = input.stream ?? '';
  const direction = parseDirection(stream);
  if (!direction) throw ErrInvalidStream;
  const type = input.type ?? '';
  const name = input.name ? input.name : `${type}_${stream}`;
  const def = findToxic(type);
  if (!def) throw ErrInvalidToxicType;
  if (exists(name)) throw ErrToxicAlreadyExists;
  const second = goDecode(body, attributesOnlyType(attributesType(def)), { attributes: zeroAttributes(def) });
  if (!second.ok) throw joinError(ErrBadRequestBody, second.error);
  const attributes = (second.value as { attributes: Record<string, AttributeValue> }).attributes;
  return { name, type, stream, direction, toxicity: Math.fround(input.toxicity ?? 1), attributes, def };
}

export const toxicIndex: RouteHandler = (ctx, _req, res, vars) => {
  sendJson(res, 200, goMarshal(getProxy(ctx, vars.proxy).toxics.list().map(toxicJson)));
};

export const toxicCreate: RouteHandler = async (ctx, req, res, vars) => {
  const proxy = getProxy(ctx, vars.proxy);
  const toxic = parseNewToxic(await ctx.body(req), (name) => proxy.toxics.find(name) !== undefined);
  proxy.toxics.add(toxic);
  sendJson(res, 200, goMarshal(toxicJson(toxic)));
};

export const toxicShow: RouteHandler = (ctx, _req, res, vars) => {
  const toxic = getProxy(ctx, vars.proxy).toxics.find(vars.toxic);
  if (!toxic) throw ErrToxicNotFound;
  sendJson(res, 200, goMarshal(toxicJson(toxic)));
};

export const toxicUpdate: RouteHandler = async (ctx, req, res, vars) => {
  if (req.method === 'POST') ctx.host.logger.warn('ToxicUpdate: HTTP method POST is deprecated. Use HTTP PATCH instead.');
  const proxy = getProxy(ctx, vars.proxy);
  const body = await ctx.body(req);
  const toxic = proxy.toxics.find(vars.toxic);
  if (!toxic) throw ErrToxicNotFound;
  const decoded = goDecode(body, toxicUpdateType(attributesType(toxic.def)), {
    attributes: toxic.attributes,
    toxicity: toxic.toxicity,
  });
  if (!decoded.ok) {
    // Go decodes straight into the live toxic's attributes and keeps going after a type error, so
    // the fields that did decode stay changed (though the running links are not told).
    const partial = decoded.value as { attributes?: Record<string, AttributeValue> } | undefined;
    if (partial?.attributes) toxic.attributes = partial.attributes;
    throw joinError(ErrBadRequestBody, decoded.error);
  }
  const value = decoded.value as { attributes: Record<string, AttributeValue>; toxicity: number };
  toxic.attributes = value.attributes;
  toxic.toxicity = Math.fround(value.toxicity);
  proxy.toxics.updated(toxic);
  sendJson(res, 200, goMarshal(toxicJson(toxic)));
};

export const toxicDelete: RouteHandler = (ctx, _req, res, vars) => {
  const proxy = getProxy(ctx, vars.proxy);
  if (!proxy.toxics.remove(vars.toxic)) throw ErrToxicNotFound;
  sendNoContent(res);
};
