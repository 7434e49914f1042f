/**
 * A node's pod and its deletion through the Kubernetes API (pure): which pod runs which node (the
 * naming rule), where the API server is, the request that deletes a pod, and what a refusal or a
 * missing service account says, each in one line. The shell (api-client.ts, pod-killer.ts) reads
 * the files and sends the request.
 */
import { FaultlineError, type NodeId } from '@faultline/protocol';

/** Where Kubernetes mounts a pod's service account: `token`, `ca.crt` (the cluster's CA) and `namespace`. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A request to the Kubernetes API, as data: `api-client.ts` sends it over HTTPS. */
export interface KubeRequest {
  readonly method: 'DELETE';
  /** The path, its names percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A pod, by the name a StatefulSet gives it: the set's name, a dash, its ordinal (`node-0`). */
const STATEFUL_POD = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?-(0|[1-9][0-9]*)$/;
const DNS_LABEL_MAX = 63;
const IPV4 = /^[0-9]+(\.[0-9]+){3}$/;

/**
 * The naming rule: an agent dialled as `POD.SERVICE:PORT` (`node-1.node:7070`, or with the
 * namespace and the cluster's domain after the Service) runs in pod `POD`. A StatefulSet's pod,
 * through its headless Service: deleted, it comes back under the same name, and so at the same
 * address, where `revive` dials its new agent. Anything else (an IP address, a name without an
 * ordinal) names no such pod.
 */
export function podOfAgent(address: string): { readonly pod: string } | { readonly error: string } {
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  const pod = host.split('.')[0];
  if (!IPV4.test(host) && pod.length <= DNS_LABEL_MAX && STATEFUL_POD.test(pod)) return { pod };
  return { error: `${address} names no pod of a StatefulSet: each agent must be POD.SERVICE:PORT, a pod such as node-1 through its headless Service (node-1.node:7070)` };
}

export const POD_NEEDS_AGENTS = 'config.killBy: "pod" needs agents (each node in a pod of its own): give config.agents (faultline up --agents)';

/** Node `ids[i]`'s pod from `agents[i]`; a `bad-request` FaultlineError naming the first agent that breaks the rule. */
export function podsOfNodes(ids: readonly NodeId[], agents: readonly string[] | undefined): Map<NodeId, string> {
  if (!agents) throw new FaultlineError('bad-request', POD_NEEDS_AGENTS);
  if (agents.length !== ids.length) throw new FaultlineError('bad-request', `config.killBy: ${ids.length} nodes but ${agents.length} agents`);
  const pods = new Map<NodeId, string>();
  const seen = new Map<string, NodeId>();
  for (const [i, id] of ids.entries()) {
    const found = podOfAgent(agents[i]);
    if ('error' in found) throw new FaultlineError('bad-request', `config.killBy "pod": ${found.error}`);
    const other = seen.get(found.pod);
    if (other) throw new FaultlineError('bad-request', `config.killBy "pod": ${other} and ${id} are both in pod ${found.pod}; each node needs a pod of its own`);
    seen.set(found.pod, id);
    pods.set(id, found.pod);
  }
  return pods;
}

/**
 * The API server as a pod sees it: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`
 * (the kubelet sets both in every container, `enableServiceLinks: false` or not).
 */
export function apiServerUrl(env: Readonly<Record<string, string | undefined>>): { readonly url: string } | { readonly error: string } {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return { error: 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this process does not run in a Kubernetes pod' };
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return { error: `KUBERNETES_SERVICE_PORT is not a port: "${port}"` };
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) return { error: `KUBERNETES_SERVICE_HOST is not a host: "${host}"` };
  return { url: `https://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

/** The one line for a service account file that is not there (or empty). */
export function serviceAccountMissing(file: string, cause: string): string {
  return `--kill-by pod: cannot read ${file} (${oneLine(cause, 120)}): the coordinator's pod needs a service account token (serviceAccountName: coordinator, automountServiceAccountToken: true, as deploy/kubernetes/coordinator.yaml)`;
}

/**
 * `DELETE /api/v1/namespaces/{namespace}/pods/{pod}?gracePeriodSeconds=0`: delete it now (a force
 * deletion: the API forgets the pod at once, and the kubelet then stops its containers).
 */
export function podDeletion(namespace: string, pod: string, token: string): KubeRequest {
  return {
    method: 'DELETE',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`,
    query: { gracePeriodSeconds: '0' },
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  };
}

/** The request's path and query, as sent. */
export function requestTarget(request: KubeRequest): string {
  const query = new URLSearchParams(request.query).toString();
  return query ? `${request.path}?${query}` : request.path;
}

/** What a kill asked of the API: the node, and its pod. */
export interface PodKill {
  readonly node: NodeId;
  readonly namespace: string;
  readonly pod: string;
}

/** A one-line error and what to try next. */
export interface Wording {
  readonly message: string;
  readonly hint?: string;
}

/**
 * The API's answer to a deletion that it did not accept (any status but 2xx), from its `Status`
 * body (`{"kind":"Status","reason":"Forbidden","message":"pods \"node-1\" is forbidden: …"}`) or,
 * if the body is not one, its first characters.
 */
export function deletionRefused(kill: PodKill, status: number, body: string): Wording {
  const where = `pod ${kill.namespace}/${kill.pod}`;
  const detail = answerDetail(status, body);
  const after = `; ${kill.node} was not killed`;
  if (status === 404) {
    return { message: `the Kubernetes API has no ${where} (${detail})${after}`, hint: `kubectl -n ${kill.namespace} get pods lists the lab's pods; --agents must name them (POD.SERVICE:PORT)` };
  }
  if (status === 401) {
    return { message: `the Kubernetes API did not accept the coordinator's token to delete ${where} (${detail})${after}`, hint: 'the service account token mounted in the coordinator\'s pod is not valid (restart the pod to get a new one)' };
  }
  if (status === 403) {
    return {
      message: `the Kubernetes API refused to delete ${where} (${detail})${after}`,
      hint: `the coordinator's service account needs a Role allowing delete on pods in ${kill.namespace}: kubectl apply -k deploy/kubernetes (coordinator-rbac.yaml)`,
    };
  }
  return { message: `the Kubernetes API did not delete ${where} (${detail})${after}` };
}

/** The API could not be asked (no connection, a certificate it does not trust, no answer in time). */
export function apiUnreachable(kill: PodKill, apiUrl: string, cause: string): Wording {
  return { message: `could not ask the Kubernetes API at ${apiUrl} to delete pod ${kill.namespace}/${kill.pod} (${oneLine(cause, 200)}); ${kill.node} was not killed` };
}

/** `403 Forbidden: pods "node-1" is forbidden: …` from a Status body; else the status and the body's start. */
function answerDetail(status: number, body: string): string {
  const parsed = statusOf(body);
  if (parsed) return [`${status}${parsed.reason ? ` ${parsed.reason}` : ''}`, ...(parsed.message ? [parsed.message] : [])].join(': ');
  return body.trim() ? `${status}: ${oneLine(body, 200)}` : String(status);
}

/** The reason and message of a Kubernetes `Status` body, or undefined if it is not one. */
export function statusOf(body: string): { readonly reason?: string; readonly message?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Status') return undefined;
  const { reason, message } = value as { reason?: unknown; message?: unknown };
  return {
    ...(typeof reason === 'string' && reason ? { reason: oneLine(reason, 60) } : {}),
    ...(typeof message === 'string' && message ? { message: oneLine(message, 300) } : {}),
  };
}

/** `text` on one line, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
