"""Fair admission to the query workers: no client can hold them all, nobody waits forever.

A *client* is an address (an IPv6 client by its /64 network, which one machine usually owns
whole). At most ``per_client`` of a client's queries run at once and at most ``slots`` in all
(the number of workers); the others wait, in arrival order for each client, and clients take
turns for the slots that come free, so a client that queues fifty queries delays another's one
by a single turn. A query that waits longer than ``wait_seconds``, or finds ``MAX_WAITING``
of its client's queries already waiting, is refused with :class:`AdmissionRefused` (the
endpoint answers 503 with ``Retry-After``).

With ``per_client`` 1 and three workers, two clients running slow queries hold two workers and
a third client's cheap query runs at once on the third.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncIterator

MAX_WAITING = 64


class AdmissionRefused(Exception):
    """The query could not get a worker in time (or its client has too many waiting)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def client_key(host: str | None) -> str:
    """Who a connection belongs to, for fairness: its IPv4 address, or its IPv6 /64 network."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


class Admission:
    """Slots for queries, shared fairly between clients (see the module doc). Event-loop only."""

    def __init__(self, slots: int, per_client: int, wait_seconds: float):
        self.slots = slots
        self.per_client = per_client
        self.wait_seconds = wait_seconds
        self._running: Counter[str] = Counter()
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    @contextlib.asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold one of ``client``'s slots for the duration of the block."""
        await self._enter(client)
        try:
            yield
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            self._dispatch()

    def running(self) -> int:
        return sum(self._running.values())

    async def _enter(self, client: str) -> None:
        if not self._waiting.get(client) and self._may_start(client):
            self._running[client] += 1
            return
        queue = self._waiting.setdefault(client, deque())
        if len(queue) >= MAX_WAITING:
            raise AdmissionRefused(
                f"{len(queue)} queries from this address are already waiting; wait for their answers",
                self._retry_after(),
            )
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(ticket)
        try:
            await asyncio.wait_for(asyncio.shield(ticket), self.wait_seconds)
        except BaseException as error:  # the wait ran out, or the request was cancelled
            if ticket.done() and not ticket.cancelled():  # admitted at the last moment: give it back
                self._running[client] -= 1
                self._dispatch()
            else:
                ticket.cancel()
                self._forget(client, ticket)
            if not isinstance(error, TimeoutError):
                raise
            raise AdmissionRefused(
                f"no query worker came free for this query within {self.wait_seconds:g} s "
                f"({self.running()} queries running); try again in a moment",
                self._retry_after(),
            ) from None

    def _may_start(self, client: str) -> bool:
        return self.running() < self.slots and self._running[client] < self.per_client

    def _dispatch(self) -> None:
        """Give free slots to waiting clients in turn, oldest query of each first."""
        while self.running() < self.slots:
            eligible = (c for c, q in self._waiting.items() if q and self._running[c] < self.per_client)
            chosen = next(eligible, None)
            if chosen is None:
                return
            queue = self._waiting.pop(chosen)
            ticket = queue.popleft()
            if queue:
                self._waiting[chosen] = queue  # to the back of the line of clients
            if ticket.cancelled():
                continue
            self._running[chosen] += 1
            ticket.set_result(None)

    def _forget(self, client: str, ticket: asyncio.Future[None]) -> None:
        queue = self._waiting.get(client)
        if queue is None:
            return
        with contextlib.suppress(ValueError):
            queue.remove(ticket)
        if not queue:
            del self._waiting[client]

    def _retry_after(self) -> int:
        return max(1, round(self.wait_seconds / 2))
