/** The side panels (shell): nodes and their clocks, the links graph, the selected event, the lens. */
import { truthOf, TRUTH_LABEL } from '@faultline/checkers';
import type { TraceModel } from '../model/trace-model.js';
import type { CausalSets } from '../model/causality.js';
import { clockTime, describe, duration, vcText } from './format.js';

const h = (tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
};

export function renderNodes(root: HTMLElement, model: TraceModel, live: boolean, act: (id: string, action: 'kill' | 'pause' | 'resume' | 'revive') => void): void {
  const table = h('table', { class: 'nodes' });
  const head = h('tr');
  for (const c of ['node', 'state', 'pid', 'wall offset', 'drift', 'Lamport', 'vector clock', '']) head.append(h('th', {}, c));
  table.append(head);
  for (const id of model.nodeIds()) {
    const n = model.nodes.get(id)!;
    const tr = h('tr', { 'data-node': id, 'data-state': n.state });
    const offset = n.clocks ? n.clocks.wallMs - n.clocks.trueMs : n.offsetMs;
    tr.append(
      h('td', { class: 'id' }, id),
      h('td', { class: `state ${n.state}` }, n.state),
      h('td', {}, n.pid === undefined ? '-' : String(n.pid)),
      h('td', {}, `${offset >= 0 ? '+' : ''}${duration(Math.round(offset))}`),
      h('td', {}, `${n.driftPpm}ppm`),
      h('td', {}, n.clocks ? String(n.clocks.lamport) : '-'),
      h('td', { class: 'vc' }, n.clocks ? vcText(n.clocks.vc) : '-'),
    );
    const actions = h('td', { class: 'actions' });
    if (live) {
      const can: Record<string, boolean> = { kill: n.state === 'up' || n.state === 'paused', pause: n.state === 'up', resume: n.state === 'paused', revive: n.state === 'killed' || n.state === 'exited' };
      for (const a of ['kill', 'pause', 'resume', 'revive'] as const) {
        const b = h('button', { 'data-action': a, 'data-node': id }, a) as HTMLButtonElement;
        b.disabled = !can[a];
        b.onclick = () => act(id, a);
        actions.append(b);
      }
    }
    tr.append(actions);
    table.append(tr);
  }
  root.replaceChildren(table);
}

/** Nodes on a circle; two arrows per pair, one a direction, each coloured by its state, so a one-way cut shows. */
export function renderLinks(root: HTMLElement, model: TraceModel): void {
  const ids = model.nodeIds();
  const size = 260;
  const r = size / 2 - 30;
  const pos = new Map(ids.map((id, i) => {
    const a = (2 * Math.PI * i) / ids.length - Math.PI / 2;
    return [id, { x: size / 2 + r * Math.cos(a), y: size / 2 + r * Math.sin(a) }];
  }));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'links');
  const defs = document.createElementNS(ns, 'defs');
  for (const state of ['ok', 'faulty', 'cut', 'held']) {
    const marker = document.createElementNS(ns, 'marker');
    marker.setAttribute('id', `head-${state}`);
    marker.setAttribute('viewBox', '0 0 10 10');
    marker.setAttribute('refX', '10');
    marker.setAttribute('refY', '5');
    marker.setAttribute('markerWidth', '6');
    marker.setAttribute('markerHeight', '6');
    marker.setAttribute('orient', 'auto');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', 'M0,0 L10,5 L0,10 z');
    p.setAttribute('class', `head ${state}`);
    marker.append(p);
    defs.append(marker);
  }
  svg.append(defs);
  const list = h('ul', { class: 'link-list' });
  for (const l of model.links.values()) {
    const a = pos.get(l.from);
    const b = pos.get(l.to);
    if (!a || !b) continue;
    const state = l.cut ? 'cut' : l.held ? 'held' : l.faults.length > 0 ? 'faulty' : 'ok';
    // Each direction bows to its own side of the straight line.
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const cx = mx - (dy / len) * 18;
    const cy = my + (dx / len) * 18;
    const shrink = (p: { x: number; y: number }, toward: { x: number; y: number }): { x: number; y: number } => {
      const d = Math.hypot(toward.x - p.x, toward.y - p.y) || 1;
      return { x: p.x + ((toward.x - p.x) / d) * 16, y: p.y + ((toward.y - p.y) / d) * 16 };
    };
    const s = shrink(a, { x: cx, y: cy });
    const e = shrink(b, { x: cx, y: cy });
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', `M${s.x.toFixed(1)},${s.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${e.x.toFixed(1)},${e.y.toFixed(1)}`);
    path.setAttribute('class', `link ${state}`);
    path.setAttribute('data-link', l.name);
    path.setAttribute('data-state', state);
    path.setAttribute('marker-end', `url(#head-${state})`);
    const title = document.createElementNS(ns, 'title');
    const words = [l.cut ? `cut (${l.cut})` : '', l.held ? 'held' : '', ...l.faults].filter(Boolean);
    title.textContent = `${l.from} → ${l.to}: ${words.join(', ') || 'no faults'}`;
    path.append(title);
    svg.append(path);
    if (words.length > 0) list.append(h('li', { 'data-link': l.name, class: state }, `${l.from} → ${l.to}: ${words.join(', ')}`));
  }
  for (const [id, p] of pos) {
    const n = model.nodes.get(id)!;
    const circle = document.createElementNS(ns, 'circle');
    circle.setAttribute('cx', p.x.toFixed(1));
    circle.setAttribute('cy', p.y.toFixed(1));
    circle.setAttribute('r', '14');
    circle.setAttribute('class', `node ${n.state}`);
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', p.x.toFixed(1));
    text.setAttribute('y', (p.y + 4).toFixed(1));
    text.setAttribute('text-anchor', 'middle');
    text.textContent = id;
    svg.append(circle, text);
  }
  if (list.children.length === 0) list.append(h('li', { class: 'none' }, 'every link is whole'));
  root.replaceChildren(svg, list);
}

export function renderDetails(root: HTMLElement, model: TraceModel, seq: number | undefined, causal: CausalSets | undefined): void {
  const line = seq === undefined ? undefined : model.line(seq);
  if (!line) {
    root.replaceChildren(h('p', { class: 'hint' }, 'Click an event in the diagram: its clocks, its causal past (blue) and future (orange); the rest is concurrent with it. Click a timeout (the ring with a hand) to see what really happened.'));
    return;
  }
  const dl = h('dl', { id: 'event-details', 'data-seq': String(line.seq) });
  const row = (k: string, v: string): void => {
    dl.append(h('dt', {}, k), h('dd', { 'data-key': k }, v));
  };
  row('event', `#${line.seq} ${describe(line)}`);
  row('true time', clockTime(line.trueMs));
  if (line.clocks) {
    row('wall time', `${clockTime(line.clocks.wallMs)} (${line.node}'s clock, ${line.clocks.wallMs - line.clocks.trueMs >= 0 ? '+' : ''}${duration(line.clocks.wallMs - line.clocks.trueMs)})`);
    row('Lamport', String(line.clocks.lamport));
    row('vector', vcText(line.clocks.vc));
    row('hybrid', `${clockTime(line.clocks.hlc.wallMs)} +${line.clocks.hlc.logical}`);
  }
  if (causal) row('causality', `${causal.past.size} before it, ${causal.future.size} after it, ${causal.concurrent.size} concurrent`);
  const parts: HTMLElement[] = [dl];
  if (line.kind === 'rpc_timeout' && line.node) {
    const t = truthOf(model.lines, line.msg, line.node, line.to);
    const lens = h('div', { id: 'lens', 'data-truth': t.truth });
    lens.append(
      h('h3', {}, 'The ambiguity lens'),
      h('p', {}, `What ${line.node} saw: no reply within ${duration(line.timeoutMs)}.`),
      h('p', {}, `What really happened: ${TRUTH_LABEL[t.truth]} — ${t.story}.`),
      h('p', { class: 'hint' }, `Trace lines: ${t.evidence.map((s) => `#${s}`).join(' ')}`),
    );
    parts.push(lens);
  }
  // Redrawn as lines arrive: left alone when nothing in it changed (a reader may be selecting its text).
  const next = h('div');
  next.append(...parts);
  if (next.innerHTML !== root.innerHTML) root.replaceChildren(...next.childNodes);
}
