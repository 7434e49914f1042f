"""A small node for Maelstrom's protocol (newline-delimited JSON on stdin/stdout), in plain
Python 3 with no dependencies: what a student's program needs to run on faultline (or on
Maelstrom itself). Copy it beside your program.

    from maelstrom import Node
    node = Node()

    @node.handler("echo")
    def echo(msg):
        node.reply(msg, {"type": "echo_ok", "echo": msg["body"]["echo"]})

    node.main()

node.id and node.node_ids are set once `init` has come; node.on_init(fn) runs fn then.
node.every(seconds, fn) runs fn periodically (after init). Handlers and timers run one at a time (a lock), so they may share
state freely. Print only messages: log with node.log(...) (stderr, kept by the lab per node).
"""
import json
import sys
import threading


class Node:
    def __init__(self):
        self.id = None
        self.node_ids = []
        self._handlers = {}
        self._timers = []
        self._on_init = []
        self._next_msg_id = 1
        self._lock = threading.RLock()
        self._out = threading.Lock()

    def handler(self, type_):
        def register(fn):
            self._handlers[type_] = fn
            return fn
        return register

    def every(self, seconds, fn):
        self._timers.append((seconds, fn))

    def on_init(self, fn):
        """Runs fn once init has come (before any other message)."""
        self._on_init.append(fn)

    def log(self, *parts):
        print(*parts, file=sys.stderr, flush=True)

    def send(self, dest, body):
        line = json.dumps({"src": self.id, "dest": dest, "body": body})
        with self._out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def reply(self, request, body):
        self.send(request["src"], dict(body, in_reply_to=request["body"].get("msg_id")))

    def request(self, dest, body):
        """Sends `body` with a fresh msg_id (the reply comes to the handler of its type)."""
        with self._lock:
            msg_id = self._next_msg_id
            self._next_msg_id += 1
        self.send(dest, dict(body, msg_id=msg_id))
        return msg_id

    def _tick(self, seconds, fn):
        def loop():
            while True:
                threading.Event().wait(seconds)
                with self._lock:
                    try:
                        fn()
                    except Exception as err:  # a timer that fails logs and goes on
                        self.log("timer failed:", repr(err))
        threading.Thread(target=loop, daemon=True).start()

    def _handle(self, msg):
        body = msg["body"]
        if body.get("type") == "init":
            self.id = body["node_id"]
            self.node_ids = body["node_ids"]
            self.reply(msg, {"type": "init_ok"})
            for fn in self._on_init:
                fn()
            for seconds, fn in self._timers:
                self._tick(seconds, fn)
            return
        handler = self._handlers.get(body.get("type"))
        if handler is None:
            if "in_reply_to" not in body:
                self.reply(msg, {"type": "error", "code": 10, "text": "no handler for %s" % body.get("type")})
            return
        try:
            handler(msg)
        except Exception as err:
            self.log("handler failed:", repr(err))
            if "msg_id" in body:
                self.reply(msg, {"type": "error", "code": 13, "text": repr(err)})

    def main(self):
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                self.log("not JSON:", line)
                continue
            with self._lock:
                self._handle(msg)
