/** Proxies and toxics as Toxiproxy marshals them, field for field and in the same order. */
import type { GoJson } from '../go-json/index.js';
import type { Proxy } from '../model/proxy.js';
import type { Toxic } from '../model/toxic-collection.js';

export function toxicJson(toxic: Toxic): GoJson {
  const attributes: Array<[string, GoJson]> = Object.entries(toxic.def.attributes).map(([key, kind]) => {
    const value = toxic.attributes[key] ?? 0;
    return [key, kind === 'float64' ? Number(value) : value];
  });
  return {
    $object: [
      ['attributes', { $object: attributes }],
      ['name', toxic.name],
      ['type', toxic.type],
      ['stream', toxic.stream],
      ['toxicity', { $float32: toxic.toxicity }],
    ],
  };
}

export function proxyJson(proxy: Proxy): GoJson {
  return {
    $object: [
      ['name', proxy.name],
      ['listen', proxy.listen],
      ['upstream', proxy.upstream],
      ['enabled', proxy.enabled],
      // Toxiproxy's Proxy struct has an exported `Logger *zerolog.Logger` with no JSON tag; every
      // real answer carries it as an empty object.
      ['Logger', { $object: [] }],
      ['toxics', proxy.toxics.list().map(toxicJson)],
    ],
  };
}
