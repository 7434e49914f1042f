/**
 * The side panels (shell): nodes and their clocks, the links graph, the selected event (its true
 * time beside its node's wall time, its stamps, a register's decision), the lens.
 */
import { truthOf, TRUTH_LABEL } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import type { TraceModel } from '../model/trace-model.js';
import type { CausalSets } from '../model/causality.js';
import { eventClockRows } from '../model/event-clocks.js';
import { originFinder, registerDecisionView, type DecisionView } from '../model/register-decision.js';
import { sameInstant } from '../model/same-instant.js';
import { h } from './dom.js';
import { clockTime, describe, duration, vcText } from './format.js';

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

/** An event in words; a register decision's value (whole writes with their stamps) is laid out in its own panel, not printed as JSON. */
function eventWords(line: TraceLine, decision: DecisionView | undefined): string {
  return decision ? `${line.node} • register ${decision.kind} (key ${decision.key}, by ${decision.resolution} stamps)` : describe(line);
}

/**
 * `select`: what choosing another event from the panel does (one at the same instant, drawn under
 * the same mark); `more`: the panels of other views for the event (a suspicion, a term of office).
 */
export function renderDetails(root: HTMLElement, model: TraceModel, seq: number | undefined, causal: CausalSets | undefined, select?: (seq: number) => void, more?: (line: TraceLine) => HTMLElement[]): void {
  const line = seq === undefined ? undefined : model.line(seq);
  if (!line) {
    root.replaceChildren(h('p', { class: 'hint' }, 'Click an event in the diagram: its clocks, its causal past (blue) and future (orange); the rest is concurrent with it. Click a timeout (the ring with a hand) to see what really happened, or a suspicion (a triangle pointing at the peer) to see whether it was right.'));
    return;
  }
  const dl = h('dl', { id: 'event-details', 'data-seq': String(line.seq) });
  const row = (k: string, v: string): void => {
    dl.append(h('dt', {}, k), h('dd', { 'data-key': k }, v));
  };
  const decision = registerDecisionView(line, originFinder(model.special));
  row('event', `#${line.seq} ${eventWords(line, decision)}`);
  for (const r of eventClockRows(line)) row(r.key, r.text);
  if (causal) row('causality', `${causal.past.size} before it, ${causal.future.size} after it, ${causal.concurrent.size} concurrent`);
  const parts: HTMLElement[] = [dl];
  const others = sameInstant(model, line);
  if (others.length > 0) {
    const also = h('div', { id: 'same-instant' });
    also.append(h('span', { class: 'hint' }, `also on ${line.node} at the same true time (one mark on the diagram):`));
    for (const o of others) {
      const words = eventWords(o, registerDecisionView(o));
      const b = h('button', { type: 'button', 'data-seq': String(o.seq) }, `#${o.seq} ${words.length > 60 ? `${words.slice(0, 59)}…` : words}`);
      if (select) b.onclick = () => select(o.seq);
      also.append(b);
    }
    parts.push(also);
  }
  if (decision) parts.push(decisionPanel(decision));
  if (more) parts.push(...more(line));
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

const ROLE_WORDS = { won: 'won', discarded: 'thrown away', sibling: 'sibling' } as const;

/** A register's decision: the sentence, then each write with its node, value, compared stamp and true time. */
function decisionPanel(d: DecisionView): HTMLElement {
  const div = h('div', { id: 'register-decision', 'data-kind': d.kind, 'data-resolution': d.resolution });
  div.append(h('h3', {}, `${d.node}'s decision on key ${d.key}`), h('p', {}, d.summary));
  const list = h('ul', { class: 'writes' });
  for (const w of d.writes) {
    const li = h('li', { 'data-write': w.id, 'data-role': w.role });
    const head = h('div');
    head.append(h('span', { class: `role ${w.role}` }, ROLE_WORDS[w.role]), ` ${w.id} from ${w.node}: ${d.key} = ${w.value}`);
    const made = w.trueMs === undefined ? 'its write is not in the trace' : `made at ${clockTime(w.trueMs)} true time`;
    li.append(head, h('div', { class: 'stamp' }, `stamp compared: ${w.stamp}; ${made}`));
    list.append(li);
  }
  div.append(list);
  return div;
}
