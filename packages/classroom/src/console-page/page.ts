/**
 * The instructor's console page (`GET /` of `class start`): one self-contained HTML document, its
 * style and script inline, so the bundled CLI serves it with no other file and a LAN with no
 * internet needs nothing else. It holds no data of the class: the script asks the key-protected
 * routes for it, with the key the instructor's URL carries in its fragment (never sent to the
 * server) or types in.
 *
 * The Content-Security-Policy names the one script and the one stylesheet by their SHA-256 hashes
 * (computed here, from the very text served): the page is the same for every request, so a hash
 * pins exactly it, needs no per-request nonce, and anything injected (a student's name is the one
 * text from outside, and it only ever goes in as textContent) could not run or style anything.
 * Nothing else loads: `default-src 'none'`, fetches to this origin only, no frames, no forms
 * posting anywhere, Trusted Types required for any HTML sink.
 */
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline class</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>faultline class: the instructor's console</h1><p id="conn" data-state="connecting">starting…</p></header>
<p id="error" role="alert" hidden></p>
<form id="key-form" hidden autocomplete="off">
  <label for="key">the console's key</label>
  <input id="key" type="password" autocomplete="off" spellcheck="false">
  <button type="submit">open</button>
  <small>class start printed this page's address with the key (…/#key=KEY); the key is also in .faultline/class-console.json where class start runs</small>
</form>
<main id="console" hidden>
  <section id="join">
    <div>join code<br><strong id="code"></strong></div>
    <div>students, beside their running lab, type:<ul id="join-commands"></ul><span id="join-note"></span></div>
  </section>
  <section id="controls">
    <form id="push-form"><label for="lesson">lesson</label> <select id="lesson"></select> <button id="push" type="submit">push to every lab</button></form>
    <span id="pushed" role="status"></span>
    <span>download <button id="csv" type="button">CSV</button> <button id="json" type="button">JSON</button></span>
  </section>
  <section>
    <p id="summary"></p>
    <table id="roster"><thead id="roster-head"></thead><tbody id="roster-body"></tbody></table>
    <p id="empty">no student has joined yet</p>
  </section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

/** The headers the page is served with. */
export const CONSOLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'none'",
    `script-src ${sha256(PAGE_SCRIPT)}`,
    `style-src ${sha256(PAGE_STYLE)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
