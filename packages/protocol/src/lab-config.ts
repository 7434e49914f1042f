import * as z from 'zod';

/** How a lab is started (`faultline up`, `startLab()`); every field has a default. */
export const labConfigSchema = z.object({
  nodes: z.number().int().min(1).max(50).default(3),
  /** Seed of every random decision (the proxy's toxics, jitter); drawn and printed if absent. */
  seed: z.string().regex(/^-?[0-9]+$/).optional(),
  /** A running Toxiproxy (or faultline-proxy) to use instead of starting the embedded one. */
  toxiproxyUrl: z.string().url().optional(),
  heartbeatMs: z.number().int().positive().max(60_000).default(500),
  /** Default RPC timeout per attempt. */
  rpcTimeoutMs: z.number().int().positive().max(600_000).default(1000),
  /** Where runs are written: `<runsDir>/<timestamp>/trace.ndjson`. */
  runsDir: z.string().default('runs'),
  /** Port of the coordinator's control API (0: any free port). */
  controlPort: z.number().int().min(0).max(65535).default(0),
});
export type LabConfig = z.infer<typeof labConfigSchema>;
export type LabConfigInput = z.input<typeof labConfigSchema>;
