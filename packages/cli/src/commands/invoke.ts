/**
 * invoke NODE TYPE [FIELD=VALUE…]: a client request on a node itself, answered by the behaviour
 * that takes it there (a register's `write key=x value=A` or `read key=x`, a `sync rounds=5`).
 */
import type { Command } from 'commander';
import { FaultlineError } from '@faultline/protocol';
import { labClient } from '../client.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { parseMessageType, parseNode } from '../units.js';
import type { GlobalOptions } from './global.js';

/** `key=x`, `value=42`, `rounds=5`: a JSON value when the text is one (42, true, "x", {…}), else the text. */
export function parseFields(pairs: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new FaultlineError('bad-usage', `expected FIELD=VALUE like key=x, got "${pair}"`);
    const field = pair.slice(0, at);
    const text = pair.slice(at + 1);
    if (field === '__proto__' || field === 'constructor' || field === 'prototype') throw new FaultlineError('bad-usage', `"${field}" is not a field name a request can have`);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    body[field] = value;
  }
  return body;
}

export function registerInvokeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('invoke <node> <type> [fields...]')
    .description('a client request on a node itself: a register write or read (write key=x value=A, read key=x), a clock sync (sync rounds=5)')
    .action((n: string, t: string, fields: string[] = []) =>
      run(async () => {
        const out = output(globals().json);
        const body = { node: parseNode(n, 'node'), msgType: parseMessageType(t, 'type'), body: parseFields(fields) };
        const response = await labClient(globals().lab).invoke({ body });
        out.result(response);
        const a = response.answer;
        if (body.msgType === 'write' && typeof a.id === 'string') {
          out.line(`${body.node} wrote ${JSON.stringify(body.body.key)} = ${JSON.stringify(body.body.value)}: write ${a.id}, ${a.kept === true ? 'kept' : 'discarded at once (an older stamp than what the key held)'}`);
          out.hint(`${cmd('trace --last 10')} shows how each replica decided`);
        } else if (body.msgType === 'read' && Array.isArray(a.values)) {
          const values = a.values.map((v) => JSON.stringify(v)).join(', ');
          out.line(a.values.length === 0 ? `${body.node} holds nothing for ${JSON.stringify(a.key)}` : `${body.node} holds ${JSON.stringify(a.key)} = ${values}${a.values.length > 1 ? ` (${a.values.length} siblings: concurrent writes)` : ''}`);
        } else {
          out.line(`${body.node} answered ${JSON.stringify(a)}`);
        }
      }),
    );
}
