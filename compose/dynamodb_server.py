"""moto's DynamoDB and DynamoDB Streams behind a keep-alive HTTP server (the embedded stack's).

``moto_server`` runs on werkzeug's development server, which answers every request
with ``Connection: close`` and logs a line per request, and moto's dispatcher works out
the service from the Host header under a global lock each time. On these machines that
is most of moto's CPU per call: every PutItem pays a TCP connect, a server thread, a log
line and the dispatch. Here a connection carries many requests (HTTP/1.1 keep-alive,
one thread per connection), nothing is logged per request, and a request whose
``X-Amz-Target`` names DynamoDB or DynamoDB Streams goes straight to that service's
moto app. Anything else (``/moto-api``, other services) goes through moto's own
dispatcher, so the server still answers whatever moto_server answers. moto's work is
pure Python, so requests run one at a time: sixteen handler threads contending for the
GIL answered a third fewer PutItems per second than one at a time.

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
import gc
import io
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

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
        self._lock = threading.Lock()

    def app_for(self, environ: dict[str, Any]) -> WsgiApp:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        backend = SERVICES.get(target.split(".", 1)[0])
        if backend is None:
            return self.fallback
        app = self._apps.get(backend)
        if app is None:
            with self._lock:  # one app per service, as moto's dispatcher keeps
                app = self._apps.get(backend) or create_backend_app(backend)  # type: ignore[arg-type]
                self._apps[backend] = app
        return app


class Handler(BaseHTTPRequestHandler):
    """Run one request through moto's WSGI app; keep the connection open afterwards."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing per request (werkzeug's access log costs more than a PutItem)."""

    def handle_request(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "a Content-Length is required")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        environ = self._environ(body)
        reply: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            reply["status"], reply["headers"] = status, headers

        with self.server.serial:
            result = self.server.dispatcher.app_for(environ)(environ, start_response)
            try:
                data = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        code, _, reason = str(reply["status"]).partition(" ")
        self.send_response_only(int(code), reason)
        for key, value in reply["headers"]:
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_request

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = value
        return environ


class Server(ThreadingHTTPServer):
    """A thread per connection; connections live as long as their clients keep them."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, Handler)
        self.dispatcher = Dispatcher()
        self.serial = threading.Lock()


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
    with Server((args.host, args.port)) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
