#!/usr/bin/env python3
"""Maelstrom's broadcast workload, made to survive partitions: every value a node learns it keeps
and gossips to its neighbours until each has acknowledged it (every 0.2 s), so values cut off by a
partition arrive once it heals."""
from maelstrom import Node

node = Node()
seen = set()
unacked = {}  # neighbour -> set of values it has not acknowledged
neighbours = []


def learn(values, sender):
    for v in values:
        if v in seen:
            continue
        seen.add(v)
        for n in neighbours:
            if n != sender:
                unacked.setdefault(n, set()).add(v)


@node.handler("topology")
def topology(msg):
    global neighbours
    neighbours = msg["body"]["topology"].get(node.id, neighbours)
    node.reply(msg, {"type": "topology_ok"})


@node.handler("broadcast")
def broadcast(msg):
    learn([msg["body"]["message"]], msg["src"])
    node.reply(msg, {"type": "broadcast_ok"})


@node.handler("gossip")
def gossip(msg):
    learn(msg["body"]["messages"], msg["src"])
    node.reply(msg, {"type": "gossip_ok", "messages": msg["body"]["messages"]})


@node.handler("gossip_ok")
def gossip_ok(msg):
    unacked.get(msg["src"], set()).difference_update(msg["body"]["messages"])


@node.handler("read")
def read(msg):
    node.reply(msg, {"type": "read_ok", "messages": sorted(seen)})


def resend():
    for n, values in unacked.items():
        if values:
            node.request(n, {"type": "gossip", "messages": sorted(values)})


def start():
    # Until a topology comes (and after a restart, when none comes again): every other node.
    global neighbours
    neighbours = [n for n in node.node_ids if n != node.id]


node.on_init(start)
node.every(0.2, resend)
node.main()
