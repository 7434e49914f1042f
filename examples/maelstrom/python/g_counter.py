#!/usr/bin/env python3
"""A grow-only counter that converges (a state-based CRDT): each node counts what was added on it,
gossips its whole table every 0.2 s, and merges others' by taking the larger count per node."""
from maelstrom import Node

node = Node()
counts = {}  # node id -> how much was added on that node, as far as this node knows


@node.handler("add")
def add(msg):
    counts[node.id] = counts.get(node.id, 0) + msg["body"]["delta"]
    node.reply(msg, {"type": "add_ok"})


@node.handler("read")
def read(msg):
    node.reply(msg, {"type": "read_ok", "value": sum(counts.values())})


@node.handler("merge")
def merge(msg):
    for other, c in msg["body"]["counts"].items():
        if c > counts.get(other, 0):
            counts[other] = c


def gossip():
    for other in node.node_ids:
        if other != node.id:
            node.send(other, {"type": "merge", "counts": dict(counts)})


node.every(0.2, gossip)
node.main()
