/**
 * The HTTP API, answer for answer as Toxiproxy 2.12 gives it: toxiproxy-node-client driving every
 * endpoint, and raw requests checking status codes, bodies, and Content-Types, including errors.
 */
import http from 'node:http';
import net from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { tcpServer, type TestServer } from './support/tcp.js';

let server: ProxyProcess;
let upstream: TestServer;
let client: Toxiproxy;

beforeAll(async () => {
  server = await spawnProxy(['--seed', '7']);
  upstream = await tcpServer();
  client = new Toxiproxy(server.url);
});

afterAll(async () => {
  await upstream?.close();
  await server?.stop();
});

beforeEach(async () => {
  for (const p of Object.values(await client.getAll())) await p.remove();
});

interface Answer { status: number; type: string | null; body: string; headers: Headers }

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(server.url + path, { method, body, headers, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text(), headers: res.headers };
}

const apiError = (status: number, error: string): Partial<Answer> => ({
  status,
  type: 'text/plain; charset=utf-8',
  body: `${JSON.stringify({ error, status })}\n`,
});

function listenPort(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

describe('toxiproxy-node-client drives every endpoint', () => {
  it('version, create, get, getAll, update, toxics, reset, populate, remove', async () => {
    expect(await client.getVersion()).toBe('{"version": "2.12.0"}\n');

    const proxy = await client.createProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: upstream.address });
    expect(proxy.name).toBe('redis');
    expect(proxy.enabled).toBe(true);
    expect(listenPort(proxy.listen)).toBeGreaterThan(0);

    expect((await client.get('redis')).upstream).toBe(upstream.address);
    expect(Object.keys(await client.getAll())).toEqual(['redis']);

    const toxic = await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 0.5, attributes: { latency: 100, jitter: 10 } });
    expect(toxic.toxicity).toBe(0.5);
    expect((await proxy.getToxic('lat')).attributes).toEqual({ latency: 100, jitter: 10 });
    const updated = await toxic.update({ attributes: { latency: 200 }, toxicity: 1 } as never);
    expect(updated).toMatchObject({ attributes: { latency: 200, jitter: 10 }, toxicity: 1 });
    expect((JSON.parse((await call('GET', '/proxies/redis/toxics')).body) as Array<{ name: string }>).map((t) => t.name)).toEqual(['lat']);

    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect((await client.get('redis')).enabled).toBe(false);

    await client.reset();
    const afterReset = await client.get('redis');
    expect(afterReset.enabled).toBe(true);
    expect((await call('GET', '/proxies/redis/toxics')).body).toBe('[]');

    const populated = await client.populate([
      { name: 'redis', listen: afterReset.listen, upstream: upstream.address },
      { name: 'pg', listen: '127.0.0.1:0', upstream: upstream.address },
    ]);
    expect(Object.keys(populated).sort()).toEqual(['pg', 'redis']);

    await (await client.get('pg')).remove();
    await expect(client.get('pg')).rejects.toThrow('Request failed with status code 404');
  });
});

describe('proxies: exact answers', () => {
  it('POST /proxies answers 201 with every field, the real port for port 0', async () => {
    const a = await call('POST', '/proxies', JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: upstream.address }));
    expect(a.status).toBe(201);
    expect(a.type).toBe('application/json');
    const port = listenPort((JSON.parse(a.body) as { listen: string }).listen);
    expect(a.body).toBe(`{"name":"a","listen":"127.0.0.1:${port}","upstream":"${upstream.address}","enabled":true,"Logger":{},"toxics":[]}`);
  });

  it('a disabled proxy keeps the listen it was given', async () => {
    const a = await call('POST', '/proxies', JSON.stringify({ name: 'off', listen: '127.0.0.1:0', upstream: 'x:1', enabled: false }));
    expect(a.body).toBe('{"name":"off","listen":"127.0.0.1:0","upstream":"x:1","enabled":false,"Logger":{},"toxics":[]}');
  });

  it('refuses bad bodies in Toxiproxy order, with its messages', async () => {
    expect(await call('POST', '/proxies', '')).toMatchObject(apiError(400, 'bad request body: EOF'));
    expect(await call('POST', '/proxies', '{"name":')).toMatchObject(apiError(400, 'bad request body: unexpected EOF'));
    expect(await call('POST', '/proxies', '{"name": 5}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string'),
    );
    expect(await call('POST', '/proxies', 'nope')).toMatchObject(
      apiError(400, "bad request body: invalid character 'o' in literal null (expecting 'u')"),
    );
    expect(await call('POST', '/proxies', '[1]')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy'),
    );
    expect(await call('POST', '/proxies', '{}')).toMatchObject(apiError(400, 'missing required field: name'));
    expect(await call('POST', '/proxies', 'null')).toMatchObject(apiError(400, 'missing required field: name'));
    expect(await call('POST', '/proxies', '{"name":"x"}')).toMatchObject(apiError(400, 'missing required field: upstream'));
  });

  it('answers 409 for a duplicate name and 500 for a listen address in use', async () => {
    const first = await call('POST', '/proxies', JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: upstream.address }));
    const listen = (JSON.parse(first.body) as { listen: string }).listen;
    expect(await call('POST', '/proxies', JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: upstream.address }))).toMatchObject(
      apiError(409, 'proxy already exists'),
    );
    expect(await call('POST', '/proxies', JSON.stringify({ name: 'b', listen, upstream: upstream.address }))).toMatchObject(
      apiError(500, `listen tcp ${listen}: bind: address already in use`),
    );
    expect(await call('POST', '/proxies', JSON.stringify({ name: 'c', listen: 'nocolon', upstream: upstream.address }))).toMatchObject(
      apiError(500, 'listen tcp: address nocolon: missing port in address'),
    );
    expect(await call('POST', '/proxies', JSON.stringify({ name: 'd', listen: '127.0.0.1:99999', upstream: upstream.address }))).toMatchObject(
      apiError(500, 'listen tcp: address 99999: invalid port'),
    );
    // nothing half-created
    expect(JSON.parse((await call('GET', '/proxies')).body)).toHaveProperty('a');
    expect(Object.keys(JSON.parse((await call('GET', '/proxies')).body) as object)).toEqual(['a']);
  });

  it('GET /proxies is a map sorted by name', async () => {
    for (const name of ['zeta', 'alpha', 'mid']) await call('POST', '/proxies', JSON.stringify({ name, listen: '127.0.0.1:0', upstream: upstream.address, enabled: false }));
    const all = await call('GET', '/proxies');
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/json');
    expect(all.body.startsWith('{"alpha":{"name":"alpha"')).toBe(true);
    expect(Object.keys(JSON.parse(all.body) as object)).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('show, update with POST and PATCH, delete, and their 404s', async () => {
    await call('POST', '/proxies', JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: upstream.address }));
    expect((await call('GET', '/proxies/a')).status).toBe(200);
    expect(await call('GET', '/proxies/nope')).toMatchObject(apiError(404, 'proxy not found'));
    const patched = await call('PATCH', '/proxies/a', '{"enabled":false}');
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body)).toMatchObject({ name: 'a', enabled: false });
    expect(JSON.parse((await call('POST', '/proxies/a', '{"enabled":true}')).body)).toMatchObject({ enabled: true });
    expect(await call('PATCH', '/proxies/a', '{"enabled":"yes"}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool'),
    );
    expect(await call('PATCH', '/proxies/nope', '{}')).toMatchObject(apiError(404, 'proxy not found'));
    const del = await call('DELETE', '/proxies/a');
    expect(del.status).toBe(204);
    expect(del.body).toBe('');
    expect(del.type).toBeNull();
    expect(await call('DELETE', '/proxies/a')).toMatchObject(apiError(404, 'proxy not found'));
  });
});

describe('populate', () => {
  it('answers 201 with the proxies; keeps unchanged ones (and their toxics), replaces changed ones', async () => {
    const first = await call('POST', '/populate', JSON.stringify([{ name: 'a', listen: '127.0.0.1:0', upstream: upstream.address }]));
    expect(first.status).toBe(201);
    expect(first.type).toBe('application/json');
    const a = (JSON.parse(first.body) as { proxies: Array<{ listen: string }> }).proxies[0];
    await call('POST', '/proxies/a/toxics', '{"type":"latency"}');

    const same = await call('POST', '/populate', JSON.stringify([{ name: 'a', listen: a.listen, upstream: upstream.address }]));
    expect((JSON.parse(same.body) as { proxies: Array<{ toxics: unknown[] }> }).proxies[0].toxics).toHaveLength(1);

    const changed = await call('POST', '/populate', JSON.stringify([{ name: 'a', listen: a.listen, upstream: '127.0.0.1:1' }]));
    expect(JSON.parse(changed.body)).toMatchObject({ proxies: [{ name: 'a', upstream: '127.0.0.1:1', toxics: [] }] });
  });

  it('answers errors with the proxies field, as JSON', async () => {
    const bad = await call('POST', '/populate', JSON.stringify([{ name: 'a', upstream: 'x:1' }, { upstream: 'x:2' }]));
    expect(bad).toMatchObject({ status: 400, type: 'application/json', body: '{"error":"missing required field: name at proxy 2","status":400,"proxies":null}' });
    expect(await call('POST', '/populate', '{}')).toMatchObject({
      status: 400,
      body: '{"error":"bad request body: json: cannot unmarshal object into Go value of type []struct { toxiproxy.Proxy; Enabled *bool \\"json:\\\\\\"enabled\\\\\\"\\" }","status":400,"proxies":null}',
    });
    expect(await call('POST', '/populate', '[]')).toMatchObject({ status: 201, body: '{"proxies":null}' });
    expect((await call('GET', '/proxies')).body).toBe('{}');
  });

  it('reports the proxies made before a listen error, with status 500', async () => {
    const taken = await tcpServer();
    const res = await call('POST', '/populate', JSON.stringify([
      { name: 'ok', listen: '127.0.0.1:0', upstream: 'x:1' },
      { name: 'clash', listen: taken.address, upstream: 'x:1' },
    ]));
    await taken.close();
    expect(res.status).toBe(500);
    const body = JSON.parse(res.body) as { error: string; proxies: Array<{ name: string }> };
    expect(body.error).toBe(`listen tcp ${taken.address}: bind: address already in use`);
    expect(body.proxies.map((p) => p.name)).toEqual(['ok']);
  });
});

describe('toxics: exact answers', () => {
  beforeEach(async () => {
    await call('POST', '/proxies', JSON.stringify({ name: 'p', listen: '127.0.0.1:0', upstream: upstream.address }));
  });

  it('creates with 200, default name, stream and toxicity, zero attributes', async () => {
    const res = await call('POST', '/proxies/p/toxics', '{"type":"latency"}');
    expect(res).toMatchObject({ status: 200, type: 'application/json' });
    expect(res.body).toBe('{"attributes":{"latency":0,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}');
    const up = await call('POST', '/proxies/p/toxics', '{"type":"slicer","stream":"UpStream","toxicity":0.1,"attributes":{"average_size":8}}');
    expect(up.body).toBe('{"attributes":{"average_size":8,"size_variation":0,"delay":0},"name":"slicer_UpStream","type":"slicer","stream":"UpStream","toxicity":0.1}');
    const list = await call('GET', '/proxies/p/toxics');
    expect((JSON.parse(list.body) as Array<{ name: string }>).map((t) => t.name)).toEqual(['slicer_UpStream', 'latency_downstream']);
    expect((JSON.parse((await call('GET', '/proxies/p')).body) as { toxics: unknown[] }).toxics).toHaveLength(2);
  });

  it('validates in Toxiproxy order: body, stream, type, duplicate name, attributes', async () => {
    expect(await call('POST', '/proxies/p/toxics', '{')).toMatchObject(apiError(400, 'bad request body: unexpected EOF'));
    expect(await call('POST', '/proxies/p/toxics', '{"type":"nope","stream":"sideways"}')).toMatchObject(
      apiError(400, 'stream was invalid, can be either upstream or downstream'),
    );
    expect(await call('POST', '/proxies/p/toxics', '{"type":"nope"}')).toMatchObject(apiError(400, 'invalid toxic type'));
    expect(await call('POST', '/proxies/p/toxics', '{}')).toMatchObject(apiError(400, 'invalid toxic type'));
    await call('POST', '/proxies/p/toxics', '{"type":"latency","name":"x"}');
    expect(await call('POST', '/proxies/p/toxics', '{"type":"timeout","name":"x","stream":"upstream"}')).toMatchObject(
      apiError(409, 'toxic already exists'),
    );
    expect(await call('POST', '/proxies/p/toxics', '{"type":"latency","attributes":{"latency":"fast"}}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64'),
    );
    expect(await call('POST', '/proxies/p/toxics', '{"type":"latency","attributes":{"latency":1.5}}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64'),
    );
    expect(await call('POST', '/proxies/p/toxics', '{"type":"latency","toxicity":"all"}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity of type float32'),
    );
    expect(await call('POST', '/proxies/nope/toxics', '{"type":"latency"}')).toMatchObject(apiError(404, 'proxy not found'));
  });

  it('shows, updates (attributes merge, toxicity), deletes, with 404s', async () => {
    await call('POST', '/proxies/p/toxics', '{"type":"latency","name":"l","attributes":{"latency":10,"jitter":3}}');
    expect((await call('GET', '/proxies/p/toxics/l')).body).toBe(
      '{"attributes":{"latency":10,"jitter":3},"name":"l","type":"latency","stream":"downstream","toxicity":1}',
    );
    expect(await call('GET', '/proxies/p/toxics/zz')).toMatchObject(apiError(404, 'toxic not found'));
    const upd = await call('PATCH', '/proxies/p/toxics/l', '{"attributes":{"latency":20},"toxicity":0.25,"name":"ignored","stream":"upstream"}');
    expect(upd).toMatchObject({ status: 200 });
    expect(upd.body).toBe('{"attributes":{"latency":20,"jitter":3},"name":"l","type":"latency","stream":"downstream","toxicity":0.25}');
    expect((await call('POST', '/proxies/p/toxics/l', '{"toxicity":1}')).status).toBe(200);
    expect(await call('PATCH', '/proxies/p/toxics/zz', 'garbage')).toMatchObject(apiError(404, 'toxic not found'));
    expect(await call('PATCH', '/proxies/p/toxics/l', '{"toxicity":[]}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal array into Go struct field .toxicity of type float32'),
    );
    // Go decodes into the live toxic and keeps going after a type error: jitter changes, 400 anyway
    expect(await call('PATCH', '/proxies/p/toxics/l', '{"attributes":{"latency":"x","jitter":7}}')).toMatchObject(
      apiError(400, 'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64'),
    );
    expect(JSON.parse((await call('GET', '/proxies/p/toxics/l')).body)).toMatchObject({ attributes: { latency: 20, jitter: 7 } });
    const del = await call('DELETE', '/proxies/p/toxics/l');
    expect(del).toMatchObject({ status: 204, body: '' });
    expect(await call('DELETE', '/proxies/p/toxics/l')).toMatchObject(apiError(404, 'toxic not found'));
  });

  it('accepts every Toxiproxy toxic type, and the message toxics', async () => {
    for (const type of ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop', 'ws_drop', 'ws_duplicate', 'ws_reorder', 'ws_hold']) {
      const res = await call('POST', '/proxies/p/toxics', JSON.stringify({ type, stream: 'upstream' }));
      expect(res.status, type).toBe(200);
    }
    expect((await call('GET', '/proxies/p/toxics/noop_upstream')).body).toBe('{"attributes":{},"name":"noop_upstream","type":"noop","stream":"upstream","toxicity":1}');
  });

  it('POST /reset removes toxics and re-enables proxies: 204', async () => {
    await call('POST', '/proxies/p/toxics', '{"type":"latency"}');
    await call('PATCH', '/proxies/p', '{"enabled":false}');
    const res = await call('POST', '/reset');
    expect(res).toMatchObject({ status: 204, body: '' });
    expect(JSON.parse((await call('GET', '/proxies/p')).body)).toMatchObject({ enabled: true, toxics: [] });
  });
});

describe('routing like gorilla/mux', () => {
  it('404 for unknown paths, 405 for known paths with another method', async () => {
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' });
    expect(await call('GET', '/proxies/')).toMatchObject({ status: 404, body: '404 page not found\n' });
    const put = await call('PUT', '/proxies');
    expect(put).toMatchObject({ status: 405, body: '' });
    expect((await call('DELETE', '/version')).status).toBe(405);
    expect((await call('GET', '/reset')).status).toBe(405);
  });

  it('redirects unclean paths with 301', async () => {
    // fetch would clean the path itself, so this request goes out as written
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${server.url}/`, { path: '/proxies/../version?x=1', method: 'GET' }, resolve);
      req.on('error', reject);
      req.end();
    });
    res.resume();
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/version?x=1');
  });

  it('escapes the redirect target, never choking on odd bytes', async () => {
    for (const [path, location] of [['//%E2%82%AC', '/%E2%82%AC'], ['/a/../%0d%0a', '/%0D%0A'], ['//a%3Fb', '/a%3Fb']]) {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(`${server.url}/`, { path, method: 'GET' }, resolve);
        req.on('error', reject);
        req.end();
      });
      res.resume();
      expect(res.statusCode, path).toBe(301);
      expect(res.headers.location, path).toBe(location);
    }
    expect((await call('GET', '/version')).status).toBe(200);
  });

  it('answers malformed requests and oversized headers as Go does (400, 431), then closes', async () => {
    const { port } = new URL(server.url);
    const raw = async (bytes: string): Promise<string> => {
      const s = net.connect({ port: Number(port), host: '127.0.0.1' });
      s.on('error', () => undefined);
      let out = '';
      s.on('data', (b: Buffer) => (out += b.toString('latin1')));
      await new Promise<void>((r) => s.once('connect', r));
      s.write(bytes);
      await new Promise<void>((r) => s.once('close', () => r()));
      return out;
    };
    expect(await raw('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\n400 Bad Request$/);
    const huge = `GET /version HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1100 * 1024)}\r\n\r\n`;
    expect(await raw(huge)).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large/);
    expect((await call('GET', '/version')).status).toBe(200);
  });

  it('a client that sends half a body does not hold up other requests', async () => {
    const { port } = new URL(server.url);
    const slow = net.connect({ port: Number(port), host: '127.0.0.1' });
    slow.on('error', () => undefined);
    await new Promise<void>((r) => slow.once('connect', r));
    slow.write('POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"name":');
    const t0 = performance.now();
    expect((await call('GET', '/proxies')).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(2_000);
    slow.destroy();
  });

  it('refuses browsers with 403 (but 404/405 come first, as in mux)', async () => {
    const ua = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' };
    expect(await call('GET', '/proxies', undefined, ua)).toMatchObject({ status: 403, type: 'text/plain; charset=utf-8', body: 'User agent not allowed\n' });
    expect((await call('GET', '/nope', undefined, ua)).status).toBe(404);
    expect((await call('PUT', '/proxies', undefined, ua)).status).toBe(405);
  });
});

describe('faultline extensions are discoverable', () => {
  it('GET /capabilities lists the message toxics and the event stream', async () => {
    const res = await call('GET', '/capabilities');
    expect(res.status).toBe(200);
    const caps = JSON.parse(res.body) as { server: string; messageToxics: Array<{ type: string }>; events: { path: string }; seed: string };
    expect(caps.server).toBe('faultline-proxy');
    expect(caps.messageToxics.map((t) => t.type)).toEqual(['ws_drop', 'ws_duplicate', 'ws_reorder', 'ws_hold', 'ws_cut']);
    expect(caps.events.path).toBe('/events');
    expect(caps.seed).toBe('7');
  });
});

describe('requests Node would drop or answer oddly, answered in one line', () => {
  const raw = async (bytes: string): Promise<string> => {
    const { port } = new URL(server.url);
    const s = net.connect({ port: Number(port), host: '127.0.0.1' });
    s.on('error', () => undefined);
    let out = '';
    s.on('data', (b: Buffer) => (out += b.toString('latin1')));
    await new Promise<void>((r) => s.once('connect', r));
    s.end(bytes);
    await new Promise<void>((r) => s.once('close', () => r()));
    return out;
  };

  it('an HTTP/1.1 request without Host gets Go\'s one-line 400, not an empty chunked body', async () => {
    const out = await raw('GET /version HTTP/1.1\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\n400 Bad Request: missing required Host header$/);
    // HTTP/1.0 needs no Host.
    expect(await raw('GET /version HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('CONNECT is refused with a one-line 405, not a silent close', async () => {
    const out = await raw('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n[\s\S]*\r\n\r\n\{"error":"CONNECT is refused: the proxy API is not an HTTP proxy","status":405\}\n$/);
  });
});
