/** A step in words, for the live observations and the report: `n1 calls n2: work {"job":"A"} (timeout 1s)`. */
import type { RowStep, Step } from '@faultline/protocol';
import { formatDuration } from '@faultline/checkers';

const pct = (v: number | undefined, what: string): string | undefined => (v === undefined ? undefined : `${what} ${v}%`);

export function describeStep(step: Step | RowStep): string {
  if ('sweep' in step && step.sweep) return `sweep ${step.sweep.name}: ${step.sweep.label} ${step.sweep.rows.map((r) => r.value).join(', ')}`;
  if (step.rpc) {
    const r = step.rpc;
    const body = Object.keys(r.body).length ? ` ${JSON.stringify(r.body)}` : '';
    const retries = r.retries ? `, ${r.retries} ${r.retries === 1 ? 'retry' : 'retries'}` : '';
    return `${r.from} calls ${r.to}: ${r.type}${body} (timeout ${formatDuration(r.timeout)}${retries})${r.as ? ` — call ${r.as}` : ''}`;
  }
  if (step.send) return `${step.send.from} sends ${step.send.to}: ${step.send.type}${Object.keys(step.send.body).length ? ` ${JSON.stringify(step.send.body)}` : ''}`;
  if (step.appends) {
    const a = step.appends;
    return `${a.from} sends ${a.count} appends to ${a.to.join(' and ')}${a.every ? `, one every ${formatDuration(a.every)}` : ''}`;
  }
  if (step.invoke) {
    const v = step.invoke;
    return `a client on ${v.node}: ${v.type}${Object.keys(v.body).length ? ` ${JSON.stringify(v.body)}` : ''}${v.as ? ` — ${v.as}` : ''}`;
  }
  if (step.writes) {
    const w = step.writes;
    return `${w.count} writes to ${w.key}, taking turns on ${w.nodes.join(' and ')}${w.read ? ', each read first' : ''}${w.every ? `, ${formatDuration(w.every)} apart` : ''}`;
  }
  if (step.ops) {
    const o = step.ops;
    const who = o.clients === 1 ? `a client on ${o.from}` : `${o.clients} clients on ${o.from}`;
    const where = [o.cycle.includes('write') ? `${o.write}s to ${o.writes.join(', ')}` : '', o.cycle.includes('read') ? `reads from ${o.reads.join(', ')}` : ''].filter(Boolean).join(', ');
    return `${who}: ${o.count} operations on ${o.key} (${where}; timeout ${formatDuration(o.timeout)}${o.every ? `, ${formatDuration(o.every)} apart` : ''}) — history ${o.as}`;
  }
  if (step.replicated) return `wait until every copy has caught up with ${step.replicated.join(' and ')}`;
  if (step.kill) return `kill ${step.kill} (SIGKILL)`;
  if (step.pause) return `pause ${step.pause} (SIGSTOP)`;
  if (step.resume) return `resume ${step.resume} (SIGCONT)`;
  if (step.revive) return `revive ${step.revive}`;
  if (step.partition) return `partition ${step.partition.map((g) => g.join(',')).join(' | ')}`;
  if (step.block) return `block ${step.block.from}→${step.block.to}`;
  if (step.heal) return 'heal every partition and block';
  if (step.link) {
    const l = step.link;
    const faults = [
      l.latency === undefined ? undefined : `latency ${formatDuration(l.latency)}`,
      l.jitter === undefined ? undefined : `jitter ${formatDuration(l.jitter)}`,
      pct(l.drop, 'drop'),
      pct(l.duplicate, 'duplicate'),
      pct(l.reorder, 'reorder'),
    ].filter(Boolean);
    return `link ${l.from}→${l.to}${l.both ? ' (both ways)' : ''}: ${faults.join(', ') || 'no faults'}`;
  }
  if (step.clear_links) return step.clear_links === true ? 'clear every link fault' : `clear the faults of ${step.clear_links.from}→${step.clear_links.to}`;
  if (step.hold) return `hold every message ${step.hold.from}→${step.hold.to}`;
  if (step.release) return `release the messages held ${step.release.from}→${step.release.to}`;
  if (step.clock) {
    const c = step.clock;
    const parts = [
      c.offset === undefined ? undefined : `offset ${c.offset >= 0 ? '+' : ''}${formatDuration(c.offset)}`,
      c.drift === undefined ? undefined : `drift ${c.drift}ppm`,
      c.jump === undefined ? undefined : `jump ${c.jump >= 0 ? '+' : ''}${formatDuration(c.jump)}`,
    ].filter(Boolean);
    return `${c.node}'s clock: ${parts.join(', ')}`;
  }
  if (step.wait !== undefined) return `wait ${formatDuration(step.wait)}`;
  if (step.await !== undefined) return `wait for call ${step.await} to end`;
  return step.note ?? '';
}
