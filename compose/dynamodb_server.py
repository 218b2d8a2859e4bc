"""moto's DynamoDB and DynamoDB Streams behind a keep-alive HTTP server (the embedded stack's).

``moto_server`` runs on werkzeug's development server, which answers every request
with ``Connection: close`` and logs a line per request, and moto's dispatcher works out
the service from the Host header under a global lock each time. On these machines that
is most of moto's CPU per call: every PutItem pays a TCP connect, a server thread, a log
line and the dispatch. Here a connection carries many requests (HTTP/1.1 keep-alive),
nothing is logged per request, and a request whose ``X-Amz-Target`` names DynamoDB or
DynamoDB Streams goes straight to that service's moto app. Anything else
(``/moto-api``, other services) goes through moto's own dispatcher, so the server still
answers whatever moto_server answers.

moto's work is pure Python, so it can only answer one request at a time. One asyncio
loop on one thread does everything: reads requests from all connections, runs moto,
writes each answer in one write. A thread per connection (the first version of this
server) made the threads hand the GIL to each other mid-request: with 16 connections
moto spent 1.16-1.32 ms of CPU per PutItem against 0.73-1.01 ms here (688-779 against
963-1,317 PutItems/s, same runs).

moto keeps every item as Python objects, and a full garbage collection walks all of
them: with a few hundred thousand items each pause took hundreds of milliseconds,
which callers saw as latency spikes growing with the tables. After each full
collection the survivors are frozen (``gc.freeze``), so the next one walks only what
was allocated since. The cost: an object frozen while alive that later becomes part of
an unreachable cycle is never freed; moto's items are freed by reference counting.

No client holds anything up for long (``compose/connection_limits.py``): a kept-alive
connection with no request started for ``--idle-timeout`` (120 s) is closed; a request's
head and body must arrive within ``--read-timeout`` (30 s) of its first byte, else it is
answered 408 and closed, and an answer not taken within that time cuts the connection;
beyond ``--max-connections`` (256) open ones a new connection is answered 503 with
Retry-After and closed (botocore's standard retry mode, and so the wire client, retry
both). Each connection has one ``asyncio.timeout``, moved on at each phase: two
reschedules per request, about 6 µs of CPU, under 0.5 % of a PutItem (one timeout per
request cost more). Each refusal or cut is logged, a line per 10 s per kind.

Run: ``python -m compose.dynamodb_server --host 127.0.0.1 --port 50503``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from compose.connection_limits import IDLE, READING, RETRY_AFTER_S, Deadlines, EventLog, Limits, log
from compose.http1 import (
    MAX_HEADER_BYTES,
    HttpError,
    answer_and_close,
    aws_error,
    close_gently,
    keeps_alive,
    parse_head,
    write_answer,
    wsgi_environ,
)
from compose.moto_tuning import install as tune_moto
from connectors.logs import configure_logging
from connectors.settings import ZaikoSettings

# X-Amz-Target prefix (the API and its version) -> moto backend
SERVICES = {"DynamoDB_20120810": "dynamodb", "DynamoDBStreams_20120810": "dynamodbstreams"}
OLDEST_GENERATION = 2  # a collection of it is a full one
_HOP_BY_HOP = {"content-length", "connection", "transfer-encoding", "keep-alive"}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Dispatcher:
    """Pick the moto app for a request: by X-Amz-Target when it names our services."""

    def __init__(self) -> None:
        self.fallback = DomainDispatcherApplication(create_backend_app)
        self._apps: dict[str, WsgiApp] = {}

    def app_for(self, environ: dict[str, Any]) -> WsgiApp:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        backend = SERVICES.get(target.split(".", 1)[0])
        if backend is None:
            return self.fallback
        app = self._apps.get(backend)
        if app is None:  # one app per service, as moto's dispatcher keeps (one thread asks)
            app = self._apps[backend] = create_backend_app(backend)  # type: ignore[arg-type]
        return app


class LoopServer:
    """One thread for every connection: an asyncio loop reads, moto answers, the loop writes."""

    def __init__(self, host: str, port: int, limits: Limits | None = None) -> None:
        self.host, self.port = host, port
        self.limits = limits or Limits()
        self.dispatcher = Dispatcher()
        self.events = EventLog()
        self.open_connections = 0
        self.refusing = 0  # refused connections still closing (each within LINGER_S)

    def serve_forever(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._connection, self.host, self.port,
                                            backlog=128, limit=MAX_HEADER_BYTES)  # fmt: skip
        async with server:
            await server.serve_forever()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = str((writer.get_extra_info("peername") or ("", 0))[0])
        if self.open_connections >= self.limits.max_connections:
            await self._refuse(reader, writer, peer)
            return
        self.open_connections += 1
        deadlines = Deadlines(self.limits)
        try:
            async with deadlines.timeout:
                while await self._one_request(reader, writer, peer, deadlines):
                    pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except HttpError as e:
            await answer_and_close(reader, writer, e.status, ([], str(e).encode()))
        except TimeoutError:  # a slow or stalled client: it held nothing up, but it goes
            await self._cut(reader, writer, peer, deadlines.phase)
        except Exception:  # a bug of ours: say so, rather than leave the client waiting
            log.exception("internal error in the embedded server")
            await answer_and_close(reader, writer, 500,
                                   ([], b"internal error in the embedded server"))  # fmt: skip
        finally:
            await close_gently(reader, writer)
            self.open_connections -= 1

    async def _refuse(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> None:
        """Answer 503 and close; in a flood (as many refusals under way as the cap), just drop."""
        cap = self.limits.max_connections
        flood = self.refusing >= cap
        self.events.note("connection refused: at the connection cap", logging.WARNING,
                         peer=peer, max_connections=cap, dropped=flood)  # fmt: skip
        if flood:
            writer.transport.abort()
            return
        self.refusing += 1
        try:
            headers, body = aws_error("ServiceUnavailable", "too many open connections")
            headers.append(("Retry-After", str(RETRY_AFTER_S)))
            await answer_and_close(reader, writer, 503, (headers, body))
        finally:
            self.refusing -= 1

    async def _one_request(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: str,
        deadlines: Deadlines,
    ) -> bool:
        """Answer one request; return whether the connection stays open."""
        first = await reader.read(1)
        if not first:
            return False  # the client closed between requests
        deadlines.reading()
        head = parse_head(first + await reader.readuntil(b"\r\n\r\n"))
        method, target, version, lower, length = head
        if version == "HTTP/1.1" and lower.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await reader.readexactly(length) if length else b""
        keep = keeps_alive(version, lower)
        environ = wsgi_environ(method, target, version, lower, body,
                               (self.host, self.port), peer)  # fmt: skip
        try:
            status, reply_headers, data = _call(self.dispatcher.app_for(environ), environ)
        except Exception as e:  # moto's apps answer errors themselves; this is a last resort
            log.exception("moto failed")
            status, reply_headers, data = 500, [], f"{type(e).__name__}: {e}".encode()
        write_answer(writer, status, reply_headers, data, keep)
        if writer.transport.get_write_buffer_size():  # the kernel took less than all of it
            deadlines.answering()
            await writer.drain()
        deadlines.idle()
        return keep

    async def _cut(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str, phase: str
    ) -> None:
        """Log a connection past its deadline; answer 408 if it was sending a request."""
        limits = self.limits
        if phase == IDLE:
            self.events.note("idle connection closed", logging.INFO, peer=peer,
                             deadline_s=limits.idle_s)  # fmt: skip
        elif phase == READING:
            self.events.note("connection cut: request not read in time", logging.WARNING,
                             peer=peer, deadline_s=limits.read_s)  # fmt: skip
            timeout = aws_error("RequestTimeoutException", "request not received in time")
            await answer_and_close(reader, writer, 408, timeout)
        else:
            self.events.note("connection cut: the client did not take its answer",
                             logging.WARNING, peer=peer, deadline_s=limits.read_s)  # fmt: skip


def _call(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    reply: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
        reply["status"], reply["headers"] = status, headers

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    code = int(str(reply["status"]).split(" ", 1)[0])
    headers = [(k, v) for k, v in reply["headers"] if k.lower() not in _HOP_BY_HOP]
    if environ["REQUEST_METHOD"] == "HEAD":  # the app left the body out: keep its length
        length = [v for k, v in reply["headers"] if k.lower() == "content-length"]
        headers.append(("Content-Length", length[0] if length else str(len(data))))
    return code, headers, data


def freeze_after_full_collections() -> None:
    """Move what survives each full collection out of the collector's sight (see above)."""

    def freeze(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == OLDEST_GENERATION:
            gc.freeze()

    gc.callbacks.append(freeze)


def main(argv: list[str] | None = None) -> None:
    """Serve moto's DynamoDB (and every other moto service) on ``--host``:``--port``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    flag = parser.add_argument
    flag("--idle-timeout", type=float, default=Limits.idle_s, metavar="S",
         help="close a kept-alive connection with no request started for S s")  # fmt: skip
    flag("--read-timeout", type=float, default=Limits.read_s, metavar="S",
         help="answer 408 to a request whose head and body take over S s")  # fmt: skip
    flag("--max-connections", type=int, default=Limits.max_connections, metavar="N",
         help="answer 503 to a connection beyond N open ones")  # fmt: skip
    args = parser.parse_args(argv)
    limits = Limits(args.idle_timeout, args.read_timeout, args.max_connections)
    settings = ZaikoSettings()
    # moto's own loggers stay at WARNING, as before: nothing is logged per request
    configure_logging("WARNING", settings.log_format, "dynamodb", "dynamodb",
                      f"{log.name}={settings.log_level},{settings.log_levels}")  # fmt: skip
    freeze_after_full_collections()
    tune_moto()  # compose/moto_tuning.py: a Query costs the same at any table size
    LoopServer(args.host, args.port, limits).serve_forever()


if __name__ == "__main__":
    main()
