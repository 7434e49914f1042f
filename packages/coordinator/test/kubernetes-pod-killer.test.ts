/**
 * The killer of `killBy: 'pod'` between the lab and the client, with the request's sending
 * replaced by a function of the test (no network, no Kubernetes): what it asks for a node, and
 * what it makes of an accepted deletion, a refusal, an API out of reach and a token it cannot
 * read. And a lab that cannot kill by pod refuses to start, in one line, before it starts anything.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultlineError, labConfigSchema } from '@faultline/protocol';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/index.js';
import type { KubeAnswer, KubernetesAccess } from '../src/kubernetes/api-client.js';
import { labPodKiller, podKiller } from '../src/kubernetes/pod-killer.js';
import { requestTarget, type KubeRequest } from '../src/kubernetes/pods.js';

const logger = pino({ level: 'silent' });
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-pod-killer-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

let tokens = 0;
const access: KubernetesAccess = { apiUrl: 'https://10.96.0.1:443', ca: 'PEM', namespace: 'faultline', token: () => `token-${++tokens}` };
const pods = new Map([
  ['n1', 'node-0'],
  ['n2', 'node-1'],
]);

/** A killer whose requests go to `answer` (recorded), not to a network. */
function killerAnswering(answer: (request: KubeRequest) => Promise<KubeAnswer>, a: KubernetesAccess = access): { kill: (id: string) => Promise<void>; asked: string[] } {
  const asked: string[] = [];
  const kill = podKiller({
    pods,
    access: a,
    logger,
    send: (apiUrl, ca, request) => {
      asked.push(`${request.method} ${apiUrl}${requestTarget(request)} ${request.headers.authorization} ca=${ca}`);
      return answer(request);
    },
  });
  return { kill, asked };
}

async function failure(p: Promise<unknown>): Promise<FaultlineError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FaultlineError);
    return err as FaultlineError;
  }
  throw new Error('it did not fail');
}

describe('the pod killer', () => {
  it("asks to delete the node's own pod, with a token read for this request, and resolves once it is accepted", async () => {
    const { kill, asked } = killerAnswering(() => Promise.resolve({ status: 200, body: '{"kind":"Pod"}' }));
    await kill('n2');
    await kill('n1');
    expect(asked).toEqual([
      `DELETE https://10.96.0.1:443/api/v1/namespaces/faultline/pods/node-1?gracePeriodSeconds=0 Bearer token-${tokens - 1} ca=PEM`,
      `DELETE https://10.96.0.1:443/api/v1/namespaces/faultline/pods/node-0?gracePeriodSeconds=0 Bearer token-${tokens} ca=PEM`,
    ]);
    const accepted = killerAnswering(() => Promise.resolve({ status: 202, body: '' }));
    await expect(accepted.kill('n1')).resolves.toBeUndefined();
  });

  it('turns a 403 (no Role) into a one-line failed error naming the pod and the reason, with a hint', async () => {
    const body = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', message: 'pods "node-1" is forbidden: User "system:serviceaccount:faultline:default" cannot delete resource "pods"', code: 403 });
    const { kill } = killerAnswering(() => Promise.resolve({ status: 403, body }));
    const err = await failure(kill('n2'));
    expect(err.code).toBe('failed');
    expect(err.message).toBe(
      'the Kubernetes API refused to delete pod faultline/node-1 (403 Forbidden: pods "node-1" is forbidden: User "system:serviceaccount:faultline:default" cannot delete resource "pods"); n2 was not killed',
    );
    expect(err.hint).toMatch(/coordinator-rbac\.yaml/);
  });

  it('turns a 404 into one line naming the pod', async () => {
    const body = JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'pods "node-1" not found', code: 404 });
    const { kill } = killerAnswering(() => Promise.resolve({ status: 404, body }));
    expect((await failure(kill('n2'))).message).toBe('the Kubernetes API has no pod faultline/node-1 (404 NotFound: pods "node-1" not found); n2 was not killed');
  });

  it('turns an API out of reach (no connection, an untrusted certificate) into one line', async () => {
    const { kill } = killerAnswering(() => Promise.reject(new Error('unable to verify the first certificate')));
    expect((await failure(kill('n2'))).message).toBe(
      'could not ask the Kubernetes API at https://10.96.0.1:443 to delete pod faultline/node-1 (unable to verify the first certificate); n2 was not killed',
    );
  });

  it('sends nothing when the token cannot be read, and says which file', async () => {
    const gone: KubernetesAccess = {
      ...access,
      token: () => {
        throw new FaultlineError('failed', '--kill-by pod: cannot read /var/run/secrets/kubernetes.io/serviceaccount/token (ENOENT): …');
      },
    };
    const { kill, asked } = killerAnswering(() => Promise.resolve({ status: 200, body: '' }), gone);
    expect((await failure(kill('n1'))).message).toMatch(/cannot read \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token/);
    expect(asked).toEqual([]);
  });

  it('knows no pod for a node the lab does not have', async () => {
    const { kill } = killerAnswering(() => Promise.resolve({ status: 200, body: '' }));
    expect((await failure(kill('n9'))).code).toBe('unknown-node');
  });

  it("is made from the lab's config (each node's pod from its agent's address), or refused at once", () => {
    const config = labConfigSchema.parse({ agents: ['node-0.node:7070', 'node-1.node:7070'], killBy: 'pod' });
    expect(typeof labPodKiller(config, ['n1', 'n2'], logger, access)).toBe('function');
    expect(() => labPodKiller(labConfigSchema.parse({ agents: ['127.0.0.1:7070', 'node-1.node:7070'], killBy: 'pod' }), ['n1', 'n2'], logger, access)).toThrow(/127\.0\.0\.1:7070 names no pod/);
  });
});

describe('a lab that cannot kill by pod', () => {
  it('refuses to start without agents, or with agents that name no pods, before it starts anything', async () => {
    const noAgents = await failure(startLab({ killBy: 'pod', runsDir, seed: '1' }, { logger }));
    expect(noAgents.code).toBe('bad-request');
    expect(noAgents.message).toMatch(/^config\.killBy: "pod" needs agents/);
    const byAddress = await failure(startLab({ agents: ['127.0.0.1:1', '127.0.0.1:2'], killBy: 'pod', runsDir, seed: '1' }, { logger }));
    expect(byAddress.code).toBe('bad-request');
    expect(byAddress.message).toMatch(/^config\.killBy "pod": 127\.0\.0\.1:1 names no pod of a StatefulSet/);
    expect(byAddress.message.split('\n')).toHaveLength(1);
    // Nothing was started: not even a run's folder.
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('refuses an unknown way to kill', async () => {
    const err = await failure(startLab({ killBy: 'container' as 'pod', runsDir, seed: '1' }, { logger }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(/killBy/);
  });
});
