export { startLab, type StartLabOptions } from './start-lab.js';
export { Lab } from './lab.js';
export type { ServiceHandler } from './lab-runtime.js';
export { allLinks, link, linksOf, nodeIds, type Link } from './links.js';
export { cutLinks, describePartition, partitionGroups } from './partition.js';
export {
  MESSAGE_FAULTS,
  REORDER_MAX_DELAY_MS,
  cutToxic,
  reportingCutToxic,
  describeFault,
  holdToxic,
  linkFaultChanges,
  requireMessageFaults,
  toxicName,
  type FaultKind,
  type LinkFaultChanges,
  type ToxicSpec,
} from './link-faults.js';
export { FaultBook, type ToxicChange } from './fault-book.js';
export { TraceSequencer } from './trace-sequencer.js';
export { byTrueTime, matchesTrace, relatedToRequests, type TraceFilter } from './trace-query.js';
export { TAIL_MAX_BYTES, TAIL_MAX_LINES, type RawTraceLine, type TraceListener } from './trace-recorder.js';
export { mapProxyEvent, type MappedProxyEvent } from './proxy-event-map.js';
export { defaultNodeCommand, nodeArgs, tsxCommand, type NodeArgs } from './launch/node-command.js';
export { spawnProxy, type ProxyProcess } from './launch/spawn-proxy.js';
export type { NodeCommand, NodeExit } from './node-process.js';
export type { NodeState } from './node-supervisor.js';
export { checkSeed, drawSeed, nodeSeed } from './seed.js';
export { implement, type RouteSet, type ServeOptions } from './control-api-port.js';
export type { LabPort } from './api/lab-port.js';
