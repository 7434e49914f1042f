/**
 * The pure cores of faultline's Maelstrom host: each workload's client generator, how its
 * replies become a history, and its checker; the services programs may call (lin-kv, seq-kv,
 * lww-kv, lin-tso); broadcast's topologies. No processes, sockets, timers or files: the shells
 * feed these a seeded PRNG and the clock's readings. Message schemas: `@faultline/protocol`
 * (maelstrom.ts).
 */
export { WORKLOADS } from './workloads/registry.js';
export { nodeOf, type ClientGenerator, type GeneratorOptions, type PlannedOp, type RequestBody, type SetupMessage, type Workload, type WorkloadOptions } from './workloads/workload.js';
export { gridTopology, lineTopology, topology, TOPOLOGIES, totalTopology, treeTopology, type Topology, type TopologyName } from './workloads/topology.js';
export { completion, invocation, type Outcome } from './history/complete.js';
export { pairOps, type Paired, type PairedOp } from './history/pair.js';
export { baseStats, percentiles, type BaseStats, type CheckOptions, type OpCounts, type Percentiles, type Verdict } from './checkers/verdict.js';
export { checkEcho, type EchoStats } from './checkers/echo.js';
export { checkUniqueIds, type UniqueIdsStats } from './checkers/unique-ids.js';
export { checkSet, type SetCheckOptions, type SetStats } from './checkers/set-full.js';
export { checkCounter, type CounterCheckOptions, type CounterStats } from './checkers/counter.js';
export { checkLinKv, type LinKvStats } from './checkers/lin-kv.js';
export { checkMvRegister, type MvRegisterStats } from './checkers/mv-register.js';
export { checkTxnListAppend, type TxnStats } from './checkers/txn/txn-list-append.js';
export { checkFailureDetector, DEFAULT_DETECTION_MS, DEFAULT_MAX_FALSE_RATE, downtimes, type Detection, type Downtime, type FailureDetectorOptions, type FailureDetectorStats } from './checkers/failure-detector.js';
export { ANOMALY_KINDS, type AnomalyKind } from './checkers/txn/txns.js';
export { SERVICES, serve, startService, type RunningService } from './services/registry.js';
export { errorTo, replyTo, type Handled, type Service, type ServiceContext, type ServiceOptions } from './services/service.js';
export { kvStep, type KvEntry, type KvMap, type KvStep } from './services/kv-store.js';
export { linKvService, type LinKvState } from './services/lin-kv.js';
export { seqKvService, type SeqKvState } from './services/seq-kv.js';
export { lwwKvGossip, lwwKvService, mergeReplicas, type LwwEntry, type LwwKvState, type LwwReplica } from './services/lww-kv.js';
export { linTsoService, type LinTsoState } from './services/lin-tso.js';
export { jsonEqual, jsonKey } from './json.js';
