"""Answers kept for repeated queries: the served graph is read-only between rebuilds.

A dashboard or notebook asks the same ready query again and again; each run costs a worker several
milliseconds. An answer is kept under (the pool's generation, the query job), so a rebuild, which
starts a new generation, leaves every kept answer behind. Only successful answers are kept, each
at most ``max_entry`` bytes, all together at most ``max_bytes``; the least recently used go first.
The handlers run on one event loop, so no lock is needed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from graph.serve.results import Reply

HIT = ("X-Cache", "hit")


class ResultCache:
    def __init__(self, max_bytes: int, max_entry: int = 1 << 20) -> None:
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.entries: OrderedDict[Hashable, Reply] = OrderedDict()
        self.size = 0

    def get(self, key: Hashable) -> Reply | None:
        reply = self.entries.get(key)
        if reply is None:
            return None
        self.entries.move_to_end(key)
        return Reply(reply.status, reply.content_type, reply.body, (*reply.headers, HIT))

    def put(self, key: Hashable, reply: Reply) -> None:
        if (
            reply.status != 200
            or len(reply.body) > min(self.max_entry, self.max_bytes)
            or key in self.entries
        ):
            return
        self.entries[key] = reply
        self.size += len(reply.body)
        while self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
