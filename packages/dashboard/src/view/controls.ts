/** The forms that break the cluster (shell): each a call on the control API; errors shown in one line. */
import { control } from '../api/control.js';
import type { TraceModel } from '../model/trace-model.js';

const num = (form: HTMLFormElement, name: string): number | undefined => {
  const v = (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
  if (v === '') return undefined;
  const n = Number(v.replace(/%|ms|ppm/g, ''));
  if (!Number.isFinite(n)) throw new Error(`${name}: expected a number, got "${v}"`);
  return n;
};
const val = (form: HTMLFormElement, name: string): string => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;

function fillNodes(select: HTMLSelectElement, ids: string[], pick: number): void {
  select.replaceChildren(...ids.map((id) => new Option(id, id)));
  select.selectedIndex = Math.min(pick, ids.length - 1);
}

export function wireControls(model: TraceModel, fail: (err: unknown) => void): void {
  const ids = model.nodeIds();
  const ok = (): void => {
    document.getElementById('error')!.textContent = '';
  };
  const run = (p: () => Promise<unknown>): void => {
    try {
      p().then(ok, fail);
    } catch (err) {
      fail(err);
    }
  };
  const link = document.getElementById('link-form') as HTMLFormElement;
  fillNodes(link.elements.namedItem('from') as HTMLSelectElement, ids, 0);
  fillNodes(link.elements.namedItem('to') as HTMLSelectElement, ids, 1);
  const params = (): { from: string; to: string } => ({ from: val(link, 'from'), to: val(link, 'to') });
  const both = (): boolean => (link.elements.namedItem('both') as HTMLInputElement).checked;
  link.onsubmit = (e) => {
    e.preventDefault();
    run(() => {
      const { from, to } = params();
      const faults = {
        latencyMs: num(link, 'latency'),
        jitterMs: num(link, 'jitter'),
        dropPct: num(link, 'drop'),
        duplicatePct: num(link, 'duplicate'),
        reorderPct: num(link, 'reorder'),
        both: both(),
      };
      return control.link({ params: { from, to }, body: faults });
    });
  };
  const button = (form: HTMLFormElement, name: string): HTMLButtonElement => form.elements.namedItem(name) as HTMLButtonElement;
  button(link, 'clear').onclick = () => run(() => control.clearLink({ params: params(), query: both() ? { both: true } : {} }));
  button(link, 'hold').onclick = () => run(() => control.hold({ params: params() }));
  button(link, 'release').onclick = () => run(() => control.release({ params: params() }));
  button(link, 'block').onclick = () => run(() => control.block({ body: params() }));

  const partition = document.getElementById('partition-form') as HTMLFormElement;
  const groups = document.getElementById('groups')!;
  groups.replaceChildren(
    ...ids.map((id, i) => {
      const label = document.createElement('label');
      const select = document.createElement('select');
      select.name = `group-${id}`;
      select.dataset.node = id;
      for (const g of ['A', 'B', 'C']) select.append(new Option(g, g));
      select.value = i === 0 ? 'A' : 'B';
      label.append(`${id} `, select);
      return label;
    }),
  );
  partition.onsubmit = (e) => {
    e.preventDefault();
    run(() => {
      const by = new Map<string, string[]>();
      for (const s of groups.querySelectorAll('select')) by.set(s.value, [...(by.get(s.value) ?? []), s.dataset.node!]);
      return control.partition({ body: { groups: [...by.values()] } });
    });
  };
  button(partition, 'heal').onclick = () => run(() => control.heal());

  const clock = document.getElementById('clock-form') as HTMLFormElement;
  fillNodes(clock.elements.namedItem('node') as HTMLSelectElement, ids, 0);
  clock.onsubmit = (e) => {
    e.preventDefault();
    run(() => control.clock({ params: { id: val(clock, 'node') }, body: { offsetMs: num(clock, 'offset'), driftPpm: num(clock, 'drift'), jumpMs: num(clock, 'jump') } }));
  };

  const rpc = document.getElementById('rpc-form') as HTMLFormElement;
  fillNodes(rpc.elements.namedItem('from') as HTMLSelectElement, ids, 0);
  fillNodes(rpc.elements.namedItem('to') as HTMLSelectElement, ids, 1);
  rpc.onsubmit = (e) => {
    e.preventDefault();
    run(() => control.rpc({ body: { from: val(rpc, 'from'), to: val(rpc, 'to'), msgType: val(rpc, 'type') || 'ping', timeoutMs: num(rpc, 'timeout') } }));
  };
}
