/**
 * Where a lab's processes run and the names by which they reach each other. On one machine
 * everything is a process here on 127.0.0.1. With agents (Docker, Kubernetes) each node is a host
 * of its own: the proxy dials `n2:PORT`, the nodes dial the proxy by its host name and the
 * coordinator by `advertiseHost`, and what listens for other hosts listens on `listenHost`.
 */
import { hostname } from 'node:os';
import type { LabConfig, NodeId } from '@faultline/protocol';

export interface Placement {
  /** Nodes run under agents (in containers), not as processes here. */
  readonly agents: boolean;
  /** Where the control channel (and the control API) listen. */
  readonly listenHost: string;
  /** The host nodes dial for the control channel. */
  readonly controlHost: string;
  /** Where the proxy's link listeners listen. */
  readonly linkListenHost: string;
  /** The host nodes dial for a link (the proxy's). */
  readonly proxyHost: string;
  /** Where a node's peer port listens (its `--listen`). */
  readonly nodeListenHost: string;
  /** The host the proxy (or, direct, a peer) dials for node `id`'s peer port. */
  nodeHost(id: NodeId): string;
  /** The agent of node `id` (`host:port`), with agents. */
  agentOf(id: NodeId): string | undefined;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A host to dial for something listening on `host`: a wildcard is dialled on loopback. */
export function dialHost(host: string): string {
  return WILDCARDS.has(host) ? '127.0.0.1' : host;
}

export function placementOf(config: LabConfig, ids: readonly NodeId[]): Placement {
  const agents = config.agents;
  if (!agents) {
    return {
      agents: false,
      listenHost: config.listenHost,
      controlHost: config.advertiseHost ?? dialHost(config.listenHost),
      linkListenHost: '127.0.0.1',
      proxyHost: '127.0.0.1',
      nodeListenHost: '127.0.0.1',
      nodeHost: () => '127.0.0.1',
      agentOf: () => undefined,
    };
  }
  const byId = new Map(ids.map((id, i) => [id, agents[i]]));
  const hostOf = (address: string): string => address.slice(0, address.lastIndexOf(':'));
  const controlHost = config.advertiseHost ?? hostname();
  return {
    agents: true,
    listenHost: config.listenHost,
    controlHost,
    // What other hosts dial listens where the lab was told (0.0.0.0 in containers; a test on one machine keeps 127.0.0.1).
    linkListenHost: config.listenHost,
    // The embedded proxy runs beside this process: the nodes reach it by this host's name.
    proxyHost: config.toxiproxyUrl ? new URL(config.toxiproxyUrl).hostname : controlHost,
    nodeListenHost: config.listenHost,
    nodeHost: (id) => hostOf(byId.get(id) ?? '127.0.0.1:0'),
    agentOf: (id) => byId.get(id),
  };
}
