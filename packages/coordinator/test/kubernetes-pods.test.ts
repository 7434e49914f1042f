/**
 * `killBy: 'pod'`, its pure part: which pod runs which node (the naming rule), where the API
 * server is, the request that deletes a node's pod, and the one line a refusal (a Status body)
 * or a missing service account becomes. No Kubernetes API is called here (none runs on this
 * machine): the Status bodies are the ones the API server documents for 403 and 404.
 */
import { FaultlineError } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import {
  apiServerUrl,
  apiUnreachable,
  deletionRefused,
  podDeletion,
  podOfAgent,
  podsOfNodes,
  requestTarget,
  SERVICE_ACCOUNT_DIR,
  serviceAccountMissing,
  statusOf,
} from '../src/kubernetes/pods.js';

const FORBIDDEN = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'pods "node-1" is forbidden: User "system:serviceaccount:faultline:default" cannot delete resource "pods" in API group "" in the namespace "faultline"',
  reason: 'Forbidden',
  details: { name: 'node-1', kind: 'pods' },
  code: 403,
});
const NOT_FOUND = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "node-1" not found', reason: 'NotFound', details: { name: 'node-1', kind: 'pods' }, code: 404 });
const KILL = { node: 'n2', namespace: 'faultline', pod: 'node-1' };

describe('the naming rule: an agent at POD.SERVICE:PORT runs in pod POD', () => {
  it("maps the manifests' agents to the StatefulSet's pods, in order", () => {
    const agents = ['node-0.node:7070', 'node-1.node:7070', 'node-2.node:7070'];
    expect([...podsOfNodes(['n1', 'n2', 'n3'], agents)]).toEqual([
      ['n1', 'node-0'],
      ['n2', 'node-1'],
      ['n3', 'node-2'],
    ]);
  });

  it('takes the first label of a longer name (namespace, cluster domain) and any StatefulSet name', () => {
    expect(podOfAgent('node-3.node.faultline.svc.cluster.local:7070')).toEqual({ pod: 'node-3' });
    expect(podOfAgent('lab-nodes-12.lab-nodes:7070')).toEqual({ pod: 'lab-nodes-12' });
    expect(podOfAgent('node-0.node')).toEqual({ pod: 'node-0' });
  });

  it('refuses what names no pod a StatefulSet brings back: an IP address, no ordinal, upper case, a leading zero', () => {
    for (const address of ['10.244.0.7:7070', '127.0.0.1:7070', 'n1:7070', 'node.node:7070', 'Node-1.node:7070', 'node-01.node:7070', '-1.node:7070', `${'a'.repeat(62)}-1.node:7070`]) {
      const found = podOfAgent(address);
      expect(found, address).toHaveProperty('error');
      expect((found as { error: string }).error).toContain(address);
      expect((found as { error: string }).error.split('\n')).toHaveLength(1);
    }
  });

  it('answers a bad-request FaultlineError for agents that break it, two nodes in one pod, or no agents', () => {
    const fails = (agents: string[] | undefined): FaultlineError => {
      try {
        podsOfNodes(['n1', 'n2'], agents);
      } catch (err) {
        return err as FaultlineError;
      }
      throw new Error('no error');
    };
    const byIp = fails(['node-0.node:7070', '10.0.0.9:7070']);
    expect(byIp).toBeInstanceOf(FaultlineError);
    expect(byIp.code).toBe('bad-request');
    expect(byIp.message).toMatch(/^config\.killBy "pod": 10\.0\.0\.9:7070 names no pod of a StatefulSet/);
    expect(fails(['node-0.node:7070', 'node-0.node:7071']).message).toBe('config.killBy "pod": n1 and n2 are both in pod node-0; each node needs a pod of its own');
    expect(fails(undefined).message).toMatch(/needs agents/);
  });
});

describe('the request that deletes a node pod', () => {
  it('is DELETE /api/v1/namespaces/{ns}/pods/{pod}?gracePeriodSeconds=0 with the bearer token, asking for JSON', () => {
    const request = podDeletion('faultline', 'node-1', 'TOKEN.abc');
    expect(request).toEqual({
      method: 'DELETE',
      path: '/api/v1/namespaces/faultline/pods/node-1',
      query: { gracePeriodSeconds: '0' },
      headers: { authorization: 'Bearer TOKEN.abc', accept: 'application/json' },
    });
    expect(requestTarget(request)).toBe('/api/v1/namespaces/faultline/pods/node-1?gracePeriodSeconds=0');
  });

  it('percent-encodes the names (the naming rule lets none through that needs it; the request does not rely on that)', () => {
    expect(requestTarget(podDeletion('a/b', 'c?d', 't'))).toBe('/api/v1/namespaces/a%2Fb/pods/c%3Fd?gracePeriodSeconds=0');
  });
});

describe('where the API server is, from inside a pod', () => {
  it('is https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (an IPv6 host in brackets)', () => {
    expect(apiServerUrl({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' })).toEqual({ url: 'https://10.96.0.1:443' });
    expect(apiServerUrl({ KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '443' })).toEqual({ url: 'https://[fd00:10:96::1]:443' });
  });

  it('is unknown outside a pod, or with a variable that is not a host or a port', () => {
    expect(apiServerUrl({})).toEqual({ error: 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this process does not run in a Kubernetes pod' });
    expect(apiServerUrl({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toHaveProperty('error');
    expect(apiServerUrl({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: 'https' })).toEqual({ error: 'KUBERNETES_SERVICE_PORT is not a port: "https"' });
    expect(apiServerUrl({ KUBERNETES_SERVICE_HOST: 'a b', KUBERNETES_SERVICE_PORT: '443' })).toHaveProperty('error');
  });

  it('names the service account file it could not read, and what the pod needs', () => {
    const line = serviceAccountMissing(`${SERVICE_ACCOUNT_DIR}/token`, 'ENOENT');
    expect(line).toBe(
      "--kill-by pod: cannot read /var/run/secrets/kubernetes.io/serviceaccount/token (ENOENT): the coordinator's pod needs a service account token (serviceAccountName: coordinator, automountServiceAccountToken: true, as deploy/kubernetes/coordinator.yaml)",
    );
  });
});

describe('what a refused deletion says, in one line', () => {
  it('403 (no Role): the pod, the API reason and message, the node not killed; the hint names the Role', () => {
    const w = deletionRefused(KILL, 403, FORBIDDEN);
    expect(w.message).toBe(
      'the Kubernetes API refused to delete pod faultline/node-1 (403 Forbidden: pods "node-1" is forbidden: User "system:serviceaccount:faultline:default" cannot delete resource "pods" in API group "" in the namespace "faultline"); n2 was not killed',
    );
    expect(w.hint).toMatch(/Role allowing delete on pods in faultline/);
  });

  it('404: the pod is not there', () => {
    const w = deletionRefused(KILL, 404, NOT_FOUND);
    expect(w.message).toBe('the Kubernetes API has no pod faultline/node-1 (404 NotFound: pods "node-1" not found); n2 was not killed');
    expect(w.hint).toMatch(/kubectl -n faultline get pods/);
  });

  it('401, another status, a body that is not a Status, none at all', () => {
    expect(deletionRefused(KILL, 401, JSON.stringify({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 })).message).toBe(
      "the Kubernetes API did not accept the coordinator's token to delete pod faultline/node-1 (401 Unauthorized: Unauthorized); n2 was not killed",
    );
    expect(deletionRefused(KILL, 500, JSON.stringify({ kind: 'Status', status: 'Failure', code: 500 })).message).toBe('the Kubernetes API did not delete pod faultline/node-1 (500); n2 was not killed');
    expect(deletionRefused(KILL, 502, '<html>\n<body>Bad Gateway</body>\n</html>').message).toBe(
      'the Kubernetes API did not delete pod faultline/node-1 (502: <html> <body>Bad Gateway</body> </html>); n2 was not killed',
    );
    expect(deletionRefused(KILL, 503, '').message).toBe('the Kubernetes API did not delete pod faultline/node-1 (503); n2 was not killed');
  });

  it('stays one line, however long or many-lined the message', () => {
    const long = JSON.stringify({ kind: 'Status', reason: 'Invalid', message: `line one\nline two ${'x'.repeat(1000)}` });
    const w = deletionRefused(KILL, 422, long);
    expect(w.message.split('\n')).toHaveLength(1);
    expect(w.message.length).toBeLessThan(450);
    expect(statusOf('not json')).toBeUndefined();
    expect(statusOf(JSON.stringify({ kind: 'Pod' }))).toBeUndefined();
  });

  it('an API out of reach: where it was asked and why', () => {
    expect(apiUnreachable(KILL, 'https://10.96.0.1:443', 'connect ECONNREFUSED 10.96.0.1:443').message).toBe(
      'could not ask the Kubernetes API at https://10.96.0.1:443 to delete pod faultline/node-1 (connect ECONNREFUSED 10.96.0.1:443); n2 was not killed',
    );
  });
});
