/**
 * The console page's script, as text (inlined in the page, so the bundled CLI needs no other file):
 * the pure helpers (page-helpers.ts), then PAGE_MAIN, the page's shell: the key (from `#key=…`,
 * kept in sessionStorage, the fragment then taken out of the address bar), the class live from
 * `GET /class/events` (read with fetch, which can send the key in a header, where an EventSource
 * cannot), the push, the downloads. Everything a student sent is put in the page as text
 * (`textContent`), never as HTML. Plain ES2022, no backticks or `${` (a String.raw template).
 */
import { PAGE_HELPERS } from './page-helpers.js';

export const PAGE_MAIN = String.raw`
const KEY_ITEM = 'faultline.class.key';
/** A stream that says nothing for this long (not even its keep-alive) is taken as gone. */
const SILENT_MS = 40000;
const $ = (id) => document.getElementById(id);
let key = '';
/** The connection now: aborted when the key changes. */
let run = null;

/** An error of the console's (its one line, the HTTP status: 0 when nothing answered). */
const consoleError = (message, status) => Object.assign(new Error(message), { status });
const isConsoleError = (err) => err instanceof Error && typeof err.status === 'number';

function showError(line) {
  $('error').textContent = line;
  $('error').hidden = line === '';
}

function setConn(state, text) {
  $('conn').dataset.state = state;
  $('conn').textContent = text;
}

async function call(method, path, body, signal) {
  let res;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      signal,
      headers: Object.assign({ authorization: 'Bearer ' + key }, body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (signal && signal.aborted) throw err;
    throw consoleError('no answer from the console at ' + location.host + ' (is class start still running?)', 0);
  }
  if (!res.ok) throw consoleError(errorLine(res.status, await res.json().catch(() => null)), res.status);
  return res;
}

const getJson = async (path, signal) => (await call('GET', path, undefined, signal)).json();

/** No key, or a wrong one: nothing of the class stays on the page. */
function askKey(line) {
  if (run) run.abort();
  run = null;
  key = '';
  sessionStorage.removeItem(KEY_ITEM);
  $('console').hidden = true;
  $('code').textContent = '';
  $('join-commands').replaceChildren();
  $('lesson').replaceChildren();
  $('roster-head').replaceChildren();
  $('roster-body').replaceChildren();
  $('summary').textContent = '';
  $('pushed').textContent = '';
  $('key-form').hidden = false;
  setConn(line ? 'refused' : 'no-key', line ? 'refused' : 'needs the key');
  showError(line);
  $('key').focus();
}

function showCode(info) {
  $('code').textContent = info.code;
  $('join-commands').replaceChildren(...info.addresses.map((address) => {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = 'npx faultline class join ' + address + ' ' + info.code;
    li.append(code);
    return li;
  }));
  const local = info.addresses.every((a) => /^(127\.|localhost:|\[::1\])/.test(a));
  $('join-note').textContent = local ? 'only this machine can join: for students on the LAN, class start --host 0.0.0.0' : '';
}

function showLessons(lessons) {
  const select = $('lesson');
  const was = select.value;
  select.replaceChildren(...lessons.map((l) => {
    const option = document.createElement('option');
    option.value = l.name;
    option.textContent = l.name + ' — ' + l.title + (l.minutes ? ' (' + l.minutes + ' min)' : '');
    return option;
  }));
  if (lessons.some((l) => l.name === was)) select.value = was;
  $('push').disabled = lessons.length === 0;
}

function cell(tag, className, c) {
  const td = document.createElement(tag);
  if (className) td.className = className;
  td.textContent = c.text;
  if (c.title) td.title = c.title;
  if (c.state) td.dataset.state = c.state;
  return td;
}

function render(view) {
  const head = ['student', 'connection', 'lab'].map((h) => cell('th', '', { text: h }));
  for (const a of view.assignments) {
    const th = cell('th', '', { text: '#' + a.id + ' ' + a.lesson, title: 'pushed at ' + clockOf(a.at) + (a.scenario ? ' (the file ' + a.scenario.file + ')' : '') });
    th.dataset.assignment = String(a.id);
    head.push(th);
  }
  const headRow = document.createElement('tr');
  headRow.append(...head);
  $('roster-head').replaceChildren(headRow);
  $('roster-body').replaceChildren(...view.students.map((s) => {
    const tr = document.createElement('tr');
    tr.dataset.student = s.id;
    tr.dataset.connected = String(s.connected);
    tr.append(cell('td', 'name', { text: s.name, title: 'student ' + s.id }), cell('td', 'conn', connectionCell(s)), cell('td', 'lab', labCell(s.lab)));
    for (const a of view.assignments) {
      const td = cell('td', 'result', resultCell(view, s, a.id));
      td.dataset.assignment = String(a.id);
      tr.append(td);
    }
    return tr;
  }));
  $('empty').hidden = view.students.length > 0;
  $('summary').textContent = summaryOf(view);
}

/** Reads the class's server-sent events until the stream ends (or says nothing for too long). */
async function stream(signal) {
  const res = await call('GET', '/class/events', undefined, signal);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let silent = setTimeout(() => reader.cancel(), SILENT_MS);
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      clearTimeout(silent);
      silent = setTimeout(() => reader.cancel(), SILENT_MS);
      const taken = takeEvents(buffer + value);
      buffer = taken.rest;
      if (taken.data.length > 0) {
        render(JSON.parse(taken.data[taken.data.length - 1]));
        setConn('live', 'live');
        showError('');
      }
    }
  } finally {
    clearTimeout(silent);
  }
}

const pause = (ms, signal) => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/** The console with this key: the code and the lessons, then the class live; again after a drop. */
async function connect() {
  if (run) run.abort();
  const ctl = new AbortController();
  run = ctl;
  $('key-form').hidden = true;
  setConn('connecting', 'connecting…');
  let tries = 0;
  while (!ctl.signal.aborted) {
    try {
      const [info, lessons] = await Promise.all([getJson('/class/code', ctl.signal), getJson('/class/lessons', ctl.signal)]);
      showCode(info);
      showLessons(lessons);
      $('console').hidden = false;
      tries = 0;
      await stream(ctl.signal);
      if (ctl.signal.aborted) return;
      throw consoleError('the console closed the connection', 0);
    } catch (err) {
      if (ctl.signal.aborted) return;
      if (isConsoleError(err) && err.status === 401) return askKey('the console refused this key: ' + err.message);
      const line = isConsoleError(err) ? err.message : 'the connection to the console broke (' + String(err && err.message).split('\n')[0] + ')';
      setConn('gone', 'not connected');
      showError(line + '; trying again');
    }
    tries += 1;
    await pause(Math.min(500 * 2 ** tries, 5000), ctl.signal);
  }
}

function useKey(given) {
  key = given;
  sessionStorage.setItem(KEY_ITEM, key);
  showError('');
  void connect();
}

async function push(event) {
  event.preventDefault();
  const lesson = $('lesson').value;
  if (!lesson) return;
  $('push').disabled = true;
  try {
    const a = await (await call('POST', '/class/assign', { lesson })).json();
    $('pushed').dataset.state = 'ok';
    $('pushed').textContent = 'pushed #' + a.id + ' ' + a.lesson + ' to every lab';
  } catch (err) {
    if (isConsoleError(err) && err.status === 401) return askKey('the console refused this key: ' + err.message);
    $('pushed').dataset.state = 'error';
    $('pushed').textContent = 'not pushed: ' + err.message;
  } finally {
    $('push').disabled = false;
  }
}

async function download(kind) {
  try {
    const body = await getJson(kind === 'csv' ? '/class/csv' : '/class');
    const text = kind === 'csv' ? body.csv : JSON.stringify(body, null, 2) + '\n';
    const blob = new Blob([text], { type: kind === 'csv' ? 'text/csv' : 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'class-' + new Date().toISOString().slice(0, 10) + '.' + kind;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  } catch (err) {
    if (isConsoleError(err) && err.status === 401) return askKey('the console refused this key: ' + err.message);
    showError('the download failed: ' + err.message);
  }
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const given = $('key').value.trim();
  $('key').value = '';
  if (given) useKey(given);
});
$('push-form').addEventListener('submit', (event) => void push(event));
$('csv').addEventListener('click', () => void download('csv'));
$('json').addEventListener('click', () => void download('json'));

const fromHash = keyFromHash(location.hash);
// The key leaves the address bar (and so the screen, and the history) at once.
if (location.hash) history.replaceState(null, '', location.pathname + location.search);
const known = fromHash || sessionStorage.getItem(KEY_ITEM) || '';
if (known) useKey(known);
else askKey('');
`;

/** The whole script, helpers first. */
export const PAGE_SCRIPT = `'use strict';\n${PAGE_HELPERS}\n${PAGE_MAIN}`;
