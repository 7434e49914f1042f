/**
 * The Kubernetes API client's HTTPS, CA and token handling, against a local HTTPS server on
 * 127.0.0.1 that this test starts (certificates made here by `openssl`, for a day). The server is
 * not a Kubernetes API server and nothing here deletes a pod: it records what arrived and answers
 * what the test tells it to. What this shows: the client trusts the given CA and no other, checks
 * the server's address against the certificate, sends the method, path, query and bearer token it
 * was given, reads a renewed token file, and hands back any answer (a refusal too) as status and
 * body; no answer is an error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClusterAccess, sendKubeRequest } from '../src/kubernetes/api-client.js';
import { podDeletion } from '../src/kubernetes/pods.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-kube-client-'));
const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function run(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA (`name.crt`, `name.key`). */
function makeCa(name: string): void {
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`];
  const usage = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'];
  run(['req', '-x509', ...key, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`, ...usage]);
}

/** A server certificate for `san` (`IP:127.0.0.1`), signed by CA `ca`. */
function makeServerCert(name: string, ca: string, san: string): void {
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
}

const pem = (file: string): string => readFileSync(join(dir, file), 'utf8');

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  accept?: string;
}

/** A local HTTPS server with certificate `name`: records each request, answers with `answer()`. */
async function serve(name: string, answer: () => { status: number; body: string } | 'never'): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer({ key: pem(`${name}.key`), cert: pem(`${name}.crt`) }, (req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, accept: req.headers.accept });
    const a = answer();
    if (a === 'never') return;
    res.writeHead(a.status, { 'content-type': 'application/json' });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
async function started(name: string, answer: () => { status: number; body: string } | 'never'): Promise<{ url: string; seen: Seen[] }> {
  const s = await serve(name, answer);
  servers.push(s.server);
  return s;
}

beforeAll(() => {
  if (!openssl) return;
  makeCa('cluster-ca');
  makeCa('other-ca');
  makeServerCert('api', 'cluster-ca', 'IP:127.0.0.1');
  makeServerCert('stranger', 'other-ca', 'IP:127.0.0.1');
  makeServerCert('elsewhere', 'cluster-ca', 'DNS:kubernetes.default.svc');
});

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

const OK = { status: 200, body: JSON.stringify({ kind: 'Pod', metadata: { name: 'node-1' } }) };

describe.skipIf(!openssl)("the Kubernetes API client's TLS, CA and token handling (a local HTTPS server, not Kubernetes)", () => {
  it('sends the method, path, query and bearer token over TLS checked against the given CA', async () => {
    const { url, seen } = await started('api', () => OK);
    const answer = await sendKubeRequest(url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 'token-1'));
    expect(answer).toEqual(OK);
    expect(seen).toEqual([{ method: 'DELETE', url: '/api/v1/namespaces/faultline/pods/node-1?gracePeriodSeconds=0', authorization: 'Bearer token-1', accept: 'application/json' }]);
  });

  it('refuses a server whose certificate another CA signed, sending it nothing', async () => {
    const { url, seen } = await started('stranger', () => OK);
    await expect(sendKubeRequest(url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 'token-1'))).rejects.toThrow(/certificate/);
    expect(seen).toEqual([]);
  });

  it("refuses a certificate of the right CA for another address (the server's address is checked)", async () => {
    const { url, seen } = await started('elsewhere', () => OK);
    await expect(sendKubeRequest(url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 'token-1'))).rejects.toThrow(/altnames|does not match/);
    expect(seen).toEqual([]);
  });

  it('hands back a refusal (403 with a Status body) as status and body, for the killer to word', async () => {
    const forbidden = { status: 403, body: JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', message: 'pods "node-1" is forbidden', code: 403 }) };
    const { url } = await started('api', () => forbidden);
    expect(await sendKubeRequest(url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 't'))).toEqual(forbidden);
  });

  it('rejects when nothing answers: no listener, or no answer in time', async () => {
    const closed = await serve('api', () => OK);
    await new Promise((r) => closed.server.close(r));
    await expect(sendKubeRequest(closed.url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 't'))).rejects.toThrow(/ECONNREFUSED/);
    const { url, seen } = await started('api', () => 'never');
    await expect(sendKubeRequest(url, pem('cluster-ca.crt'), podDeletion('faultline', 'node-1', 't'), 300)).rejects.toThrow('no answer within 0.3 s');
    expect(seen).toHaveLength(1);
  });

  it("reads a pod's service account as mounted, and the token file again for each request (a renewed token is sent)", async () => {
    const { url, seen } = await started('api', () => OK);
    const account = mkdtempSync(join(dir, 'serviceaccount-'));
    writeFileSync(join(account, 'ca.crt'), pem('cluster-ca.crt'));
    writeFileSync(join(account, 'namespace'), 'faultline-2');
    writeFileSync(join(account, 'token'), 'first-token\n');
    const port = new URL(url).port;
    const access = inClusterAccess({ KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, account);
    expect(access.apiUrl).toBe(url);
    expect(access.namespace).toBe('faultline-2');
    await sendKubeRequest(access.apiUrl, access.ca, podDeletion(access.namespace, 'node-1', access.token()));
    writeFileSync(join(account, 'token'), 'renewed-token\n');
    await sendKubeRequest(access.apiUrl, access.ca, podDeletion(access.namespace, 'node-1', access.token()));
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/api/v1/namespaces/faultline-2/pods/node-1?gracePeriodSeconds=0', 'Bearer first-token'],
      ['/api/v1/namespaces/faultline-2/pods/node-1?gracePeriodSeconds=0', 'Bearer renewed-token'],
    ]);
  });
});

describe('a service account that is not there', () => {
  it('outside a pod, or with a file missing or empty: one line naming what is missing', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    expect(() => inClusterAccess({}, dir)).toThrow('--kill-by pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this process does not run in a Kubernetes pod');
    const account = mkdtempSync(join(dir, 'partial-'));
    expect(() => inClusterAccess(env, account)).toThrow(`--kill-by pod: cannot read ${join(account, 'ca.crt')} (ENOENT)`);
    writeFileSync(join(account, 'ca.crt'), 'PEM');
    writeFileSync(join(account, 'namespace'), 'faultline');
    expect(() => inClusterAccess(env, account)).toThrow(`cannot read ${join(account, 'token')} (ENOENT)`);
    writeFileSync(join(account, 'token'), '  \n');
    expect(() => inClusterAccess(env, account)).toThrow(`cannot read ${join(account, 'token')} (empty)`);
  });
});
