/**
 * `killBy: 'pod'` (shell): `kill` deletes the node's pod through the Kubernetes API. The killer
 * resolves once the API accepted the deletion; the supervisor then waits for the node's life to
 * end (its agent's connection drops when the kubelet stops the pod) and stamps the crash then.
 * The StatefulSet makes a new pod under the same name, whose agent waits for a coordinator;
 * `revive` dials it (the lab's usual way back to an agent whose connection was lost). A refusal
 * (403 without the Role, 404) or an API out of reach is a one-line error; the node and the lab go on.
 */
import type { LabConfig, NodeId } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import type { Logger } from 'pino';
import type { NodeKiller } from '../node-supervisor.js';
import { inClusterAccess, sendKubeRequest, type KubeAnswer, type KubernetesAccess } from './api-client.js';
import { apiUnreachable, deletionRefused, podDeletion, podsOfNodes, type KubeRequest, type Wording } from './pods.js';

export interface PodKillerOptions {
  /** Node id → the name of its pod (`podsOfNodes`). */
  readonly pods: ReadonlyMap<NodeId, string>;
  readonly access: KubernetesAccess;
  readonly logger: Logger;
  /** How a request is sent (default: over HTTPS to `access.apiUrl`). */
  readonly send?: (apiUrl: string, ca: string, request: KubeRequest) => Promise<KubeAnswer>;
}

export function podKiller(options: PodKillerOptions): NodeKiller {
  const { access, logger } = options;
  const send = options.send ?? sendKubeRequest;
  const fail = (w: Wording): FaultlineError => new FaultlineError('failed', w.message, w.hint === undefined ? {} : { hint: w.hint });
  return async (node) => {
    const pod = options.pods.get(node);
    if (pod === undefined) throw new FaultlineError('unknown-node', `no pod is known for ${node}`);
    const kill = { node, namespace: access.namespace, pod };
    let answer: KubeAnswer;
    try {
      answer = await send(access.apiUrl, access.ca, podDeletion(access.namespace, pod, access.token()));
    } catch (err) {
      if (err instanceof FaultlineError) throw err;
      throw fail(apiUnreachable(kill, access.apiUrl, (err as Error).message));
    }
    if (answer.status < 200 || answer.status > 299) throw fail(deletionRefused(kill, answer.status, answer.body));
    logger.info({ node, pod, namespace: access.namespace, status: answer.status }, 'pod deleted through the Kubernetes API');
  };
}

/**
 * The killer of a lab whose `killBy` is `pod`: each node's pod from its agent's address, the API
 * and the token from the service account of the pod this runs in (`access`, for a test, instead).
 * A one-line FaultlineError, before anything starts, when the agents name no pods or this is not
 * a pod with a service account.
 */
export function labPodKiller(config: LabConfig, ids: readonly NodeId[], logger: Logger, access?: KubernetesAccess): NodeKiller {
  const pods = podsOfNodes(ids, config.agents);
  return podKiller({ pods, access: access ?? inClusterAccess(), logger });
}
