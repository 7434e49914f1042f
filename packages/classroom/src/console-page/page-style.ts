/** The console page's stylesheet: readable on a projector, no web fonts (no internet needed). */
export const PAGE_STYLE = String.raw`
:root { color-scheme: light; --ink: #1d2329; --muted: #5b6670; --line: #d5dbe0; --ok: #1e7a3c; --bad: #b3261e; --warn: #8a5a00; --soft: #f3f5f7; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; padding: 1rem 1.5rem 3rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
h1 { font-size: 1.2rem; margin: 0; }
code, .mono, #code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
#conn { color: var(--muted); margin: 0; }
#conn[data-state="live"] { color: var(--ok); }
#conn[data-state="gone"], #conn[data-state="refused"] { color: var(--bad); }
#error { margin: .75rem 0; padding: .5rem .75rem; border-left: 4px solid var(--bad); background: #fdf0ef; color: var(--bad); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
form#key-form { margin: 1rem 0; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
form#key-form input { font: inherit; padding: .3rem .5rem; min-width: 22rem; }
#key-form small { color: var(--muted); flex-basis: 100%; }
section { margin: 1rem 0; }
#join { display: flex; gap: 2rem; align-items: center; flex-wrap: wrap; padding: .75rem 1rem; background: var(--soft); border-radius: 6px; }
#code { font-size: 2.6rem; font-weight: 700; letter-spacing: .12em; }
#join ul { margin: .25rem 0 0; padding: 0; list-style: none; }
#join li code { font-size: 1.05rem; }
#join-note { color: var(--muted); }
#controls { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
#controls form { display: flex; gap: .5rem; align-items: center; }
select, button { font: inherit; padding: .3rem .6rem; }
button { cursor: pointer; }
#pushed[data-state="error"] { color: var(--bad); }
#summary { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.name { font-weight: 600; }
tr[data-connected="false"] td.name, tr[data-connected="false"] td.conn { color: var(--muted); }
td.conn[data-state="connected"] { color: var(--ok); }
td.lab[data-state="down"] { color: var(--bad); }
td.result { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: nowrap; }
td.result[data-state="waiting"], td.result[data-state="predicted"] { color: var(--warn); }
td.result[data-state="passed"] { color: var(--ok); }
td.result[data-state="failed"], td.result[data-state="error"] { color: var(--bad); }
#empty { color: var(--muted); }
`;
