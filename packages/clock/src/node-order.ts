/**
 * The order of node ids: n1 < n2 < n10 (numeric collation), with exact code-unit order breaking
 * ties so the order is total.
 *
 * Lab ids (`n` and a number without leading zeros) are compared by length, then by code units:
 * the same order `Intl.Collator('en', { numeric: true })` gives them. Only other strings (a vector
 * clock accepts any node name) need the collator, so it is made on first use: building it loads
 * ICU's collation data, ~3 MB of resident memory a lab node otherwise never needs.
 */
const LAB_ID = /^n[1-9][0-9]*$/;
let collator: Intl.Collator | undefined;

export function compareNodeIds(a: string, b: string): number {
  if (!(LAB_ID.test(a) && LAB_ID.test(b))) {
    collator ??= new Intl.Collator('en', { numeric: true });
    const c = collator.compare(a, b);
    if (c !== 0) return c;
  } else if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
