/**
 * The class's results for a spreadsheet (pure): one row a student and assignment, what they
 * predicted, whether it was right, and the run's verdict. RFC 4180 CSV: fields with a comma, a
 * quote or a line break are quoted, quotes doubled; a field that a spreadsheet would read as a
 * formula (=, +, -, @ first) is led by a quote mark.
 */
import type { ClassView } from '@faultline/protocol';

export const CSV_COLUMNS = ['student', 'name', 'assignment', 'lesson', 'predicted', 'correct', 'passed', 'held', 'checks', 'error'] as const;

function field(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function classCsv(view: ClassView): string {
  const lessonOf = new Map(view.assignments.map((a) => [a.id, a.lesson]));
  const rows = view.students.flatMap((s) =>
    s.results.map((r) => {
      const p = r.prediction;
      const predicted = p?.answer ? (p.answer.choice === undefined ? p.answer.text : `${p.answer.choice} (${p.answer.text})`) : (p?.unanswered ?? '');
      const v = r.verdict;
      return [s.id, s.name, r.assignment, lessonOf.get(r.assignment), predicted, v?.correct, v?.passed, v ? v.checks.filter((c) => c.held).length : null, v?.checks.length, v?.error];
    }),
  );
  return [CSV_COLUMNS, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
