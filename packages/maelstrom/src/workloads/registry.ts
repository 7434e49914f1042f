/** Every workload by its name (Maelstrom's `-w`): one file each, behind the one interface of workload.ts. */
import type { MaelstromWorkloadName } from '@faultline/protocol';
import { broadcastWorkload } from './broadcast.js';
import { echoWorkload } from './echo.js';
import { failureDetectorWorkload } from './failure-detector.js';
import { gCounterWorkload } from './g-counter.js';
import { gSetWorkload } from './g-set.js';
import { linKvWorkload } from './lin-kv.js';
import { mvRegisterWorkload } from './mv-register.js';
import { pnCounterWorkload } from './pn-counter.js';
import { txnListAppendWorkload } from './txn-list-append.js';
import { uniqueIdsWorkload } from './unique-ids.js';
import type { Workload } from './workload.js';

export const WORKLOADS: Readonly<Record<MaelstromWorkloadName, Workload>> = {
  echo: echoWorkload,
  'unique-ids': uniqueIdsWorkload,
  broadcast: broadcastWorkload,
  'g-set': gSetWorkload,
  'g-counter': gCounterWorkload,
  'pn-counter': pnCounterWorkload,
  'lin-kv': linKvWorkload,
  'txn-list-append': txnListAppendWorkload,
  'mv-register': mvRegisterWorkload,
  'failure-detector': failureDetectorWorkload,
};
