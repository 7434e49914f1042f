/**
 * The console page's pure helpers, as script text: the cells `class status` prints, the
 * server-sent events in a stream's text, the key in a URL's fragment. The unit tests run this very
 * text (packages/classroom/test/console-page.test.ts). Plain ES2022, no backticks or `${`.
 */
export const PAGE_HELPERS = String.raw`
function pad2(n) { return String(n).padStart(2, '0'); }

/** An ISO time as this browser's local 12:03:10. */
function clockOf(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '?' : pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
}

/** The key in a URL's fragment (#key=KEY), or ''. */
function keyFromHash(hash) {
  const key = new URLSearchParams(String(hash).replace(/^#/, '')).get('key');
  return key ? key.trim() : '';
}

/** Connected or not, and since when (away: since it left; connected: when the class last heard from it). */
function connectionCell(student) {
  return student.connected
    ? { text: 'connected', title: 'last heard from at ' + clockOf(student.lastSeen), state: 'connected' }
    : { text: 'away since ' + clockOf(student.lastSeen), title: 'not connected to the console', state: 'away' };
}

/** The student's lab as its class join last reported it: up (nodes, its lesson) or down (why). */
function labCell(lab) {
  if (!lab) return { text: '?', title: 'no report from this lab yet', state: 'unknown' };
  if (!lab.up) return { text: 'down' + (lab.error ? ': ' + lab.error : ''), title: lab.error || 'the lab does not answer', state: 'down' };
  const lesson = lab.lesson ? ', ' + lab.lesson.name + ' ' + lab.lesson.state : '';
  return { text: lab.nodes + ' nodes' + lesson, title: (lab.url ? 'the lab at ' + lab.url : 'the lab') + (lab.error ? ': ' + lab.error : ''), state: 'up' };
}

/**
 * A lesson's cell, as class status prints it: the prediction (its choice, "words", – none given,
 * … not yet) → the verdict (passed or failed, right or wrong; waiting before it).
 */
function resultCell(view, student, assignment) {
  const r = student.results.find((x) => x.assignment === assignment);
  const p = r ? r.prediction : null;
  const v = r ? r.verdict : null;
  const predicted = p ? (p.answer ? String(p.answer.choice ?? '"' + p.answer.text + '"') : '–') : '…';
  const pushed = view.assignments.some((a) => a.id === assignment);
  const verdict = v
    ? (v.error ? 'error' : v.passed ? 'passed' : 'failed') + (v.correct === undefined ? '' : v.correct ? ', right' : ', wrong')
    : pushed ? 'waiting' : '';
  const title = [];
  if (p) title.push(p.answer ? 'predicted ' + (p.answer.choice === undefined ? '' : p.answer.choice + ': ') + p.answer.text : 'no prediction' + (p.unanswered ? ': ' + p.unanswered : ''));
  else title.push('no prediction yet');
  if (v) {
    title.push(v.checks.filter((c) => c.held).length + ' of ' + v.checks.length + ' expectations held');
    if (v.error) title.push('error: ' + v.error);
  }
  const state = v ? (v.error ? 'error' : v.passed ? 'passed' : 'failed') : p ? 'predicted' : 'waiting';
  return { text: predicted + ' → ' + verdict, title: title.join('; '), state };
}

/** The class in a line: how many students, how many connected, how many lessons pushed. */
function summaryOf(view) {
  const n = view.students.length;
  const on = view.students.filter((s) => s.connected).length;
  const a = view.assignments.length;
  return n + (n === 1 ? ' student' : ' students') + ', ' + on + ' connected; ' + a + (a === 1 ? ' lesson' : ' lessons') + ' pushed';
}

/**
 * Server-sent events out of a stream's text so far: each complete event's data (its data lines
 * joined), and the rest (an event not complete yet) to put before the next chunk.
 */
function takeEvents(buffer) {
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop();
  const data = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
    if (lines.length > 0) data.push(lines.join('\n'));
  }
  return { data, rest };
}

/** A failed answer's one line: the server's own error when it sent one. */
function errorLine(status, body) {
  const said = body && typeof body.error === 'string' ? body.error.split('\n')[0] : '';
  return said || 'the console answered ' + status;
}
`;
