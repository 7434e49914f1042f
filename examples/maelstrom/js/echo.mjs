#!/usr/bin/env node
// Maelstrom's echo workload: answer every `echo` with `echo_ok` and the same `echo`.
import { Node } from './node.mjs';

const node = new Node();
node.on('echo', (msg) => node.reply(msg, { type: 'echo_ok', echo: msg.body.echo }));
node.main();
