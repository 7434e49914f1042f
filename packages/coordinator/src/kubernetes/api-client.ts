/**
 * A thin client of the Kubernetes API (shell): one request over HTTPS, the server's certificate
 * checked against the cluster's CA only, the bearer token read from its file at each request
 * (the kubelet renews a projected token in place). `inClusterAccess()` reads what a pod's service
 * account gives it. No library: the lab asks the API one thing (delete a pod).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '@faultline/protocol';
import { apiServerUrl, requestTarget, SERVICE_ACCOUNT_DIR, serviceAccountMissing, type KubeRequest } from './pods.js';

/** How this process reaches the Kubernetes API, and as whom. */
export interface KubernetesAccess {
  /** `https://host:port` of the API server. */
  readonly apiUrl: string;
  /** The PEM of the CA that signed the API server's certificate: the only one trusted. */
  readonly ca: string;
  /** The bearer token, read again for each request. Throws if it cannot be read. */
  readonly token: () => string;
  /** The namespace of the lab's pods (the coordinator's own). */
  readonly namespace: string;
}

export interface KubeAnswer {
  readonly status: number;
  readonly body: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** An answer's body beyond this is not kept (a Status is a few hundred bytes). */
const BODY_MAX_BYTES = 64 * 1024;

/**
 * The service account of the pod this process runs in (`/var/run/secrets/kubernetes.io/serviceaccount`)
 * and the API server's address from the environment; a one-line `failed` FaultlineError if either is missing.
 */
export function inClusterAccess(env: Readonly<Record<string, string | undefined>> = process.env, dir = SERVICE_ACCOUNT_DIR): KubernetesAccess {
  const api = apiServerUrl(env);
  if ('error' in api) throw new FaultlineError('failed', `--kill-by pod: ${api.error}`);
  const read = (name: string): string => {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new FaultlineError('failed', serviceAccountMissing(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message));
    }
    if (!text) throw new FaultlineError('failed', serviceAccountMissing(file, 'empty'));
    return text;
  };
  const ca = read('ca.crt');
  const namespace = read('namespace');
  read('token');
  return { apiUrl: api.url, ca, namespace, token: () => read('token') };
}

/**
 * Sends `request` to the API server at `apiUrl`, trusting only `ca`; resolves with the status and
 * body of any answer (a refusal too), rejects if there is none (no connection, a certificate that
 * `ca` did not sign, no answer within `timeoutMs`).
 */
export async function sendKubeRequest(apiUrl: string, ca: string, request: KubeRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<KubeAnswer> {
  // Loaded at the first kill: a lab that never deletes a pod never loads https.
  const https = await import('node:https');
  const url = new URL(requestTarget(request), apiUrl);
  return new Promise<KubeAnswer>((resolve, reject) => {
    const req = https.request(url, { method: request.method, headers: { ...request.headers }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_MAX_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_MAX_BYTES) });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
