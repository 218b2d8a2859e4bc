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

Run: ``python -m compose.dynamodb_server --host 127.0.0.1 --port 50503``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import io
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from compose.moto_tuning import install as tune_moto

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


_REASONS = {200: "OK", 400: "Bad Request", 411: "Length Required", 413: "Content Too Large",
            500: "Internal Server Error"}  # fmt: skip
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024  # BatchWriteItem's limit is 16 MB
LINGER_S = 2.0  # how long a closing connection waits for the client to close its side


class LoopServer:
    """One thread for every connection: an asyncio loop reads, moto answers, the loop writes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.dispatcher = Dispatcher()

    def serve_forever(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._connection, self.host, self.port,
                                            backlog=128, limit=MAX_HEADER_BYTES)  # fmt: skip
        async with server:
            await server.serve_forever()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername") or ("", 0)
        try:
            while await self._one_request(reader, writer, str(peer[0])):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except Exception:  # a bug of ours: say so, rather than leave the client waiting
            traceback.print_exc()
            with contextlib.suppress(Exception):
                await _reply(writer, 500, [], b"internal error in the embedded server", False)
        finally:
            await _close_gently(reader, writer)

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> bool:
        """Answer one request; return whether the connection stays open."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            if e.partial.strip():
                raise
            return False  # the client closed between requests
        lines = head.decode("latin-1").lstrip("\r\n").split("\r\n")  # RFC 9112 2.2
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            await _reply(writer, 400, [], b"malformed request line", keep=False)
            return False
        method, target, version = parts
        lower: dict[str, str] = {}  # lower-case name -> value; a repeated header's joined
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                key, value = name.strip().lower(), value.strip()
                lower[key] = f"{lower[key]}, {value}" if key in lower else value
        if "chunked" in lower.get("transfer-encoding", "").lower():
            await _reply(writer, 411, [], b"a Content-Length is required", keep=False)
            return False
        length_text = lower.get("content-length") or "0"
        if not (length_text.isascii() and length_text.isdigit()):
            await _reply(writer, 400, [], b"malformed Content-Length", keep=False)
            return False
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            await _reply(writer, 413, [], b"request body too large", keep=False)
            return False
        if version == "HTTP/1.1" and lower.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await reader.readexactly(length) if length else b""
        keep = (version == "HTTP/1.1" and lower.get("connection", "").lower() != "close") or (
            version == "HTTP/1.0" and lower.get("connection", "").lower() == "keep-alive"
        )
        environ = wsgi_environ(method, target, version, lower, body,
                               (self.host, self.port), peer)  # fmt: skip
        try:
            status, reply_headers, data = _call(self.dispatcher.app_for(environ), environ)
        except Exception as e:  # moto's apps answer errors themselves; this is a last resort
            traceback.print_exc()
            status, reply_headers, data = 500, [], f"{type(e).__name__}: {e}".encode()
        await _reply(writer, status, reply_headers, data, keep)
        return keep


async def _close_gently(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Close after the client has read our answer: half-close, drain what it still sends.

    Closing with unread request bytes (a refused chunked body) makes the kernel reset the
    connection, and the client may then lose the answer we just wrote.
    """
    with contextlib.suppress(Exception):
        if writer.can_write_eof() and not writer.is_closing():
            writer.write_eof()
            async with asyncio.timeout(LINGER_S):
                while await reader.read(65536):
                    pass
    writer.close()


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


async def _reply(
    writer: asyncio.StreamWriter,
    status: int,
    headers: list[tuple[str, str]],
    data: bytes,
    keep: bool,
) -> None:
    """Write the status line, headers and body in one write, then drain."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if not any(name == "Content-Length" for name, _ in headers):  # HEAD: _call set it
        lines.append(f"Content-Length: {len(data)}")
    if not keep:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
    writer.write(head + data)
    await writer.drain()


def wsgi_environ(
    method: str,
    target: str,
    version: str,
    headers: dict[str, str],
    body: bytes,
    server: tuple[str, int],
    peer: str,
) -> dict[str, Any]:
    """Return the WSGI environ of one request (``headers``: one value per name)."""
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": version,
        "REMOTE_ADDR": peer,
        "CONTENT_TYPE": "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = value
    return environ


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
    args = parser.parse_args(argv)
    freeze_after_full_collections()
    tune_moto()  # compose/moto_tuning.py: a Query costs the same at any table size
    LoopServer(args.host, args.port).serve_forever()


if __name__ == "__main__":
    main()
