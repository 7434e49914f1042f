/** Hand-made traces for the checks and the lens: lines parsed by the real schema, seq and time rising. */
import { traceLineSchema, type RpcResult, type TraceLine } from '@faultline/protocol';

export class TraceBuilder {
  readonly lines: TraceLine[] = [];
  private t = 1_767_225_600_000;

  /** Adds a node's line `ms` after the last one, stamped with clocks. */
  add(line: Record<string, unknown>, ms = 1): this {
    this.t += ms;
    const n = this.lines.length + 1;
    const clocks = { trueMs: this.t, wallMs: this.t, lamport: n, vc: { [String(line.node)]: n }, hlc: { wallMs: this.t, logical: 0 } };
    this.lines.push(traceLineSchema.parse({ seq: n, trueMs: this.t, clocks, ...line }));
    return this;
  }

  /** Adds a line the lab observed (no clocks). */
  lab(node: string | undefined, event: Record<string, unknown>, ms = 1): this {
    this.t += ms;
    this.lines.push(traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.t, ...(node ? { node } : {}), ...event }));
    return this;
  }

  send(node: string, to: string, msg: string, msgType: string, replyTo?: string, ms = 1): this {
    return this.add({ node, kind: 'send', to, msg, msgType, size: 50, ...(replyTo ? { replyTo } : {}) }, ms);
  }

  receive(node: string, from: string, msg: string, msgType: string, replyTo?: string, ms = 1): this {
    return this.add({ node, kind: 'receive', from, msg, msgType, size: 50, sentWall: this.t, ...(replyTo ? { replyTo } : {}) }, ms);
  }

  proxy(link: string, action: string, msg: string, ms = 1, msgType = 'work'): this {
    return this.lab(link.split('-')[0], { kind: 'proxy', action, link, msg, msgType, size: 50 }, ms);
  }

  timeout(node: string, to: string, msg: string, timeoutMs = 1000, attempt = 1): this {
    return this.add({ node, kind: 'rpc_timeout', to, msg, msgType: 'work', attempt, timeoutMs }, timeoutMs);
  }

  state(node: string, key: string, value: unknown, msg?: string, ms = 1): this {
    return this.add({ node, kind: 'state', behaviour: 'service', key, value, ...(msg ? { msg } : {}) }, ms);
  }
}

export function timedOut(requestIds: string[], attempts = requestIds.length): RpcResult {
  return { outcome: 'timeout', attempts, requestIds, elapsedMs: 1000 * attempts };
}
