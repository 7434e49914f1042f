#!/usr/bin/env python3
"""Maelstrom's echo workload: answer every `echo` with `echo_ok` and the same `echo`."""
from maelstrom import Node

node = Node()


@node.handler("echo")
def echo(msg):
    node.reply(msg, {"type": "echo_ok", "echo": msg["body"]["echo"]})


node.main()
