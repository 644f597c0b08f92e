"""The HTTP server under the endpoint: uvicorn (httptools parser) on a socket we bind, plus two guards.

uvicorn brings what ``http.server`` lacked: a C HTTP/1.1 parser (llhttp, through httptools) that
answers a malformed request (a negative ``Content-Length``, a broken request line) with 400,
asyncio streams with ``TCP_NODELAY`` (no 40 ms Nagle/delayed-ACK stall per keep-alive request),
the listen backlog we give it, a keep-alive idle timeout, a cap on open connections (503 past it)
and a graceful shutdown. What it leaves open, :class:`GuardedHttpProtocol` adds: a deadline for a
request's head (uvicorn's keep-alive timer stops at the first byte, so a client trickling a
header a byte at a time, or connecting and sending nothing, would hold its connection forever)
and a cap on a head's size (llhttp has none).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

BACKLOG = 1024
MAX_CONNECTIONS = 1000
MAX_HEAD_BYTES = 64 * 1024
DEFAULT_HEAD_SECONDS = 10.0
DEFAULT_IDLE_SECONDS = 5
SHUTDOWN_SECONDS = 3


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap for each request's head."""

    head_seconds = DEFAULT_HEAD_SECONDS

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._head_tail = b""  # the last bytes seen, so a head end split across reads is found

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_timer is not None:  # still waiting for the head: measure it before parsing
            window = self._head_tail + data
            end = window.find(b"\r\n\r\n")
            size = self._head_bytes + (len(data) if end < 0 else end - len(self._head_tail))
            if size > MAX_HEAD_BYTES:
                self._refuse(431, f"the request head is over {MAX_HEAD_BYTES} bytes")
                return
            self._head_bytes += len(data)
            self._head_tail = window[-3:]
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._stop_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._await_head()

    def _await_head(self) -> None:
        self._stop_head_timer()
        self._head_bytes = 0
        self._head_tail = b""
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_too_slow)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self._head_bytes:
            self._refuse(408, f"the request head did not arrive within {self.head_seconds:g} s")
        else:
            self.transport.close()  # an idle connection: nothing to answer

    def _refuse(self, status: int, message: str) -> None:
        self._stop_head_timer()
        reason = {408: "Request Timeout", 431: "Request Header Fields Too Large"}[status]
        body = (message + "\n").encode("utf-8")
        self.transport.write(
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode("ascii") + body
        )
        self.transport.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, listening with ``BACKLOG``, its connections ``TCP_NODELAY``.

    The protocol is given explicitly: asyncio turns Nagle's algorithm off only on sockets whose
    ``proto`` is ``IPPROTO_TCP``, and ``socket.create_server`` leaves it 0 (measured: 52 ms per
    keep-alive request then, against 3 ms). Linux also copies ``TCP_NODELAY`` to accepted sockets.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


class HttpServer:
    """An ASGI app served by uvicorn on ``host:port`` (0 picks a free port), bound at construction."""

    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        *,
        quiet: bool = False,
        head_seconds: float = DEFAULT_HEAD_SECONDS,
        idle_seconds: int = DEFAULT_IDLE_SECONDS,
    ):
        self.socket = listening_socket(host, port)
        protocol = type("HeadGuardedHttpProtocol", (GuardedHttpProtocol,), {"head_seconds": head_seconds})
        config = uvicorn.Config(
            app,
            http=protocol,
            ws="none",
            lifespan="off",
            backlog=BACKLOG,
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=idle_seconds,
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
            server_header=False,
            access_log=not quiet,
            log_config=None if quiet else LOGGING_CONFIG,
            log_level="error" if quiet else "info",
        )
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or, in the main thread, Ctrl-C or SIGTERM)."""
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving (from another thread) and wait until :meth:`serve_forever` has returned."""
        self._server.should_exit = True
        self._stopped.wait()

    def server_close(self) -> None:
        self.socket.close()
