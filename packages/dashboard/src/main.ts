/**
 * The dashboard page (shell). Live: it reads the lab's status and trace from the control API that
 * served it, then follows `GET /events`, drawing every line as it comes (batched per frame), and
 * breaks the cluster through the same API. Replay: a saved trace (a file, or `?replay=URL`), with a
 * time slider and play/pause. `window.faultline` exposes the model for tests and benchmarks.
 */
import './zod-jitless.js';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { control } from './api/control.js';
import { checkShiviz, toShiviz } from './model/shiviz.js';
import { layoutToSvg } from './model/svg.js';
import { layoutDiagram } from './model/layout.js';
import { syncCharts } from './model/sync-chart.js';
import { isSyncLine, SyncLines } from './model/sync-lines.js';
import { TraceModel } from './model/trace-model.js';
import { DiagramView } from './view/diagram-view.js';
import { FailureOverlay } from './view/failure-overlay.js';
import { failurePanels, renderLeaderWarning } from './view/failure-panels.js';
import { failureSvg } from './model/failure-svg.js';
import { clockTime } from './view/format.js';
import { renderDetails, renderLinks, renderNodes } from './view/panels.js';
import { wireControls } from './view/controls.js';
import { wireLessons } from './view/lesson-panel.js';
import { renderSyncCharts } from './view/sync-panel.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let model = new TraceModel();
let live = false;
let events: EventSource | undefined;
const stats = { received: 0, applied: 0, lastLagMs: 0, maxLagMs: 0 };
let readyResolve!: () => void;
const ready = new Promise<void>((r) => (readyResolve = r));

const showError = (err: unknown): void => {
  $('error').textContent = err instanceof Error ? err.message : String(err);
};

const view: DiagramView = new DiagramView($<HTMLCanvasElement>('diagram'), model, () => showDetails(), clockTime);
/** Suspicions, leaders and a lesson's client operations, drawn over the diagram. */
const failure = new FailureOverlay(clockTime);
view.overlays.push(failure);
/** The selected event and, for a timeout, the lens: drawn again as new lines change what is true. */
function showDetails(): void {
  renderDetails($('details'), model, view.selected, view.causal, (seq) => view.select(seq), (line) => failurePanels(line, failure.facts(model), model.lastMs));
}

/** The model the panels show: the whole run live, or the run up to the slider in a replay. */
let panelModel = model;
/** The sync rounds of each model the panels showed, gathered as its lines arrive. */
const syncLines = new WeakMap<TraceModel, SyncLines>();
let syncDrawn = '';
function refreshPanels(): void {
  renderNodes($('nodes'), panelModel, live, (id, action) => void control[action]({ params: { id } }).then(() => ($('error').textContent = '')).catch(showError));
  renderLinks($('links'), panelModel);
  renderLeaderWarning($('leader-warning'), failure.facts(panelModel));
  let sync = syncLines.get(panelModel);
  if (!sync) syncLines.set(panelModel, (sync = new SyncLines(panelModel)));
  const charts = syncCharts(sync.update(), { width: 276, height: 150 });
  // Drawn again only when a round or its truth changed (a reader may be reading a tooltip).
  const key = JSON.stringify(charts);
  if (key !== syncDrawn) renderSyncCharts($('clock-sync'), $('sync-charts'), charts);
  syncDrawn = key;
}

/** What new lines may have changed, redrawn at most ten times a second. */
const stale = { panels: false, details: false };
let refreshQueued = false;
function refreshSoon(what: keyof typeof stale): void {
  stale[what] = true;
  if (refreshQueued) return;
  refreshQueued = true;
  setTimeout(() => {
    refreshQueued = false;
    if (stale.panels) refreshPanels();
    if (stale.details) showDetails();
    stale.panels = stale.details = false;
  }, 100);
}

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function shiviz(): string {
  const lines = view.untilMs === undefined ? model.lines : model.lines.filter((l) => l.trueMs <= view.untilMs!);
  return toShiviz(lines, { hideHeartbeats: view.hideHeartbeats });
}

function svg(): string {
  const v = view.viewport();
  const layout = layoutDiagram(model, v);
  return layoutToSvg(layout, v.width, v.height, `faultline run, seed ${model.seed ?? '?'}`, clockTime, failureSvg(failure.layout(model, layout, v)));
}

async function startLive(): Promise<void> {
  live = true;
  const status = await control.status();
  model.declareNodes(status.nodes.length);
  model.add(await control.trace({ query: { since: 0 } }));
  $('run-info').textContent = `seed ${status.seed} · ${status.runDir}`;
  wireControls(model, showError);
  await wireLessons(showError, {
    report: (report) => {
      failure.setHistories(report);
      view.invalidate();
    },
    show: (fromMs, toMs) => view.showRange(fromMs, toMs),
  });
  refreshPanels();
  view.followLatest();
  const queue: TraceLine[] = [];
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    const batch = queue.splice(0);
    if (!live) return;
    model.add(batch);
    stats.applied += batch.length;
    const last = batch.at(-1);
    if (last) {
      stats.lastLagMs = Date.now() - last.trueMs;
      stats.maxLagMs = Math.max(stats.maxLagMs, stats.lastLagMs);
    }
    view.modelChanged();
    // A sync reply's send can complete a round already drawn: its truth changes the chart.
    if (batch.some((l) => (l.kind !== 'send' && l.kind !== 'receive') || isSyncLine(l))) refreshSoon('panels');
    // A release, a late reply or a crash can change what the selected timeout's lens must say.
    if (batch.length > 0 && view.selected !== undefined) refreshSoon('details');
  };
  const last = model.lines.reduce((m, l) => Math.max(m, l.seq), 0);
  let lost = false;
  events = new EventSource(control.url('events', { query: { since: last } }));
  events.onopen = () => {
    $('conn').textContent = 'live';
    $('conn').dataset.state = 'live';
    // Back after a drop: a coordinator started again on the same address is a new lab (a new run
    // folder), whose trace must not be drawn after the old one's: the page starts afresh.
    if (lost) void control.status().then((now) => (now.runDir === status.runDir ? undefined : location.reload()), () => undefined);
    lost = false;
  };
  events.onerror = () => {
    lost = true;
    $('conn').textContent = 'lab not answering';
    $('conn').dataset.state = 'lost';
  };
  events.onmessage = (e: MessageEvent<string>) => {
    stats.received += 1;
    const parsed = traceLineSchema.safeParse(JSON.parse(e.data));
    if (!parsed.success) return;
    queue.push(parsed.data);
    if (!flushing) {
      flushing = true;
      requestAnimationFrame(flush);
    }
  };
}

/** Replays a saved trace: one TraceLine a line (trace.ndjson). */
function startReplay(text: string, name: string): void {
  const lines: TraceLine[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const parsed = traceLineSchema.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
      else bad.push(i + 1);
    } catch {
      bad.push(i + 1);
    }
  });
  live = false;
  events?.close();
  model = new TraceModel();
  model.add(lines);
  panelModel = model;
  failure.ops = [];
  view.model = model;
  view.select(undefined);
  $('conn').textContent = 'replay';
  $('conn').dataset.state = 'replay';
  $('run-info').textContent = `${name}: ${lines.length} events, seed ${model.seed ?? '?'}${bad.length ? ` (${bad.length} bad lines skipped, first at line ${bad[0]})` : ''}`;
  $('controls').hidden = true;
  $('lessons').hidden = true;
  $('replay').hidden = false;
  const slider = $<HTMLInputElement>('slider');
  const setUntil = (fraction: number): void => {
    const until = model.firstMs + (model.lastMs - model.firstMs) * fraction;
    view.untilMs = until;
    $('replay-time').textContent = clockTime(until);
    // At the end of the run the panels show the whole model; before it, a model of the lines so far.
    if (fraction >= 1) panelModel = model;
    else {
      panelModel = new TraceModel();
      panelModel.add(model.lines.slice(0, model.indexAt(until + 0.001)));
    }
    refreshPanels();
    view.invalidate();
  };
  slider.oninput = () => setUntil(Number(slider.value) / 1000);
  let timer: number | undefined;
  $('play').onclick = () => {
    if (timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      $('play').textContent = '▶ play';
      return;
    }
    if (Number(slider.value) >= 1000) slider.value = '0';
    $('play').textContent = '❚❚ pause';
    timer = window.setInterval(() => {
      slider.value = String(Math.min(1000, Number(slider.value) + 5));
      setUntil(Number(slider.value) / 1000);
      if (Number(slider.value) >= 1000) $('play').click();
    }, 50);
  };
  setUntil(1);
  view.follow = false;
  view.fit();
  refreshPanels();
}

$<HTMLInputElement>('heartbeats').onchange = (e) => {
  view.hideHeartbeats = !(e.target as HTMLInputElement).checked;
  view.invalidate();
};
$('follow').onclick = () => view.followLatest();
$('fit').onclick = () => view.fit();
$('export-shiviz').onclick = () => {
  const text = shiviz();
  const problems = checkShiviz(text);
  if (problems.length > 0) return showError(`the ShiViz log breaks ShiViz's rules: ${problems[0]}`);
  download(`faultline-${model.seed ?? 'run'}.shiviz.log`, 'text/plain', text);
};
$('export-svg').onclick = () => download(`faultline-${model.seed ?? 'run'}.svg`, 'image/svg+xml', svg());
$<HTMLInputElement>('load-trace').onchange = async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) startReplay(await file.text(), file.name);
  readyResolve();
};

declare global {
  interface Window {
    faultline: { ready: Promise<void>; model: () => TraceModel; view: () => DiagramView; stats: typeof stats; shiviz: () => string; svg: () => string };
  }
}
window.faultline = { ready, model: () => model, view: () => view, stats, shiviz, svg };

const replayUrl = new URLSearchParams(location.search).get('replay');
const boot = replayUrl
  ? fetch(replayUrl).then(async (r) => startReplay(await r.text(), replayUrl.split('/').at(-1) ?? replayUrl))
  : startLive();
boot.then(readyResolve, (err: unknown) => {
  showError(err);
  $('conn').textContent = 'no lab';
  $('conn').dataset.state = 'lost';
  readyResolve();
});
showDetails();
