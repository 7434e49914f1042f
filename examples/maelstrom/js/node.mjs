// A small node for Maelstrom's protocol (newline-delimited JSON on stdin/stdout), in plain
// JavaScript with no dependencies: what a student's program needs to run on faultline (or on
// Maelstrom itself). Copy it beside your program and import it.
//
//   import { Node } from './node.mjs';
//   const node = new Node();
//   node.on('echo', (msg) => node.reply(msg, { type: 'echo_ok', echo: msg.body.echo }));
//   node.main();
//
// node.id and node.nodeIds are set once `init` has come (before any other handler runs).
// node.rpc(dest, body) sends a request and resolves with the reply's body (or rejects with an
// error body); node.send(dest, body) sends one with no reply expected. Anything you print goes to
// the lab as a message: log with console.error (stderr), which the lab keeps per node.
import { createInterface } from 'node:readline';

export class Node {
  id = undefined;
  nodeIds = [];
  #handlers = new Map();
  #nextMsgId = 1;
  #callbacks = new Map();
  #initialised = [];

  /** Handle messages of `type`: `handler(message)`, may be async. */
  on(type, handler) {
    this.#handlers.set(type, handler);
    return this;
  }

  /** Run `fn` once init has come (e.g. start a gossip timer). */
  onInit(fn) {
    this.#initialised.push(fn);
    return this;
  }

  send(dest, body) {
    process.stdout.write(`${JSON.stringify({ src: this.id, dest, body })}\n`);
  }

  reply(request, body) {
    this.send(request.src, { ...body, in_reply_to: request.body.msg_id });
  }

  rpc(dest, body, timeoutMs = 1000) {
    const msgId = this.#nextMsgId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#callbacks.delete(msgId);
        reject({ type: 'error', code: 0, text: `no reply from ${dest} in ${timeoutMs} ms` });
      }, timeoutMs);
      this.#callbacks.set(msgId, (reply) => {
        clearTimeout(timer);
        if (reply.body.type === 'error') reject(reply.body);
        else resolve(reply.body);
      });
      this.send(dest, { ...body, msg_id: msgId });
    });
  }

  main() {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        console.error(`not JSON: ${line}`);
        return;
      }
      void this.#handle(msg);
    });
  }

  async #handle(msg) {
    const { body } = msg;
    if (body.in_reply_to !== undefined) {
      const callback = this.#callbacks.get(body.in_reply_to);
      this.#callbacks.delete(body.in_reply_to);
      callback?.(msg);
      return;
    }
    if (body.type === 'init') {
      this.id = body.node_id;
      this.nodeIds = body.node_ids;
      this.reply(msg, { type: 'init_ok' });
      for (const fn of this.#initialised) fn();
      return;
    }
    const handler = this.#handlers.get(body.type);
    if (!handler) {
      this.reply(msg, { type: 'error', code: 10, text: `no handler for ${body.type}` });
      return;
    }
    try {
      await handler(msg);
    } catch (err) {
      console.error(err);
      this.reply(msg, { type: 'error', code: 13, text: String(err?.message ?? err) });
    }
  }
}
