import { bandwidth } from './bandwidth.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { messageToxics } from './message-toxics.js';
import { noop } from './noop.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';
import type { AnyToxicDefinition } from './toxic.js';

/** Toxiproxy's seven toxics plus its hidden `noop`, registered by name. */
export const standardToxics: AnyToxicDefinition[] = [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, noop];

const registry = new Map<string, AnyToxicDefinition>([...standardToxics, ...messageToxics].map((t) => [t.type, t]));

export function findToxic(type: string): AnyToxicDefinition | undefined {
  return registry.get(type);
}

export { messageToxics };
