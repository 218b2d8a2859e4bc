"""HTTP/1.1 framing for the embedded DynamoDB server: parse a head, write an answer, close.

Only what ``compose.dynamodb_server`` needs: requests with a Content-Length (no chunked
bodies), answers written in one write, and a close that lets the client read them.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from typing import Any

_REASONS = {200: "OK", 400: "Bad Request", 408: "Request Timeout", 411: "Length Required",
            413: "Content Too Large", 500: "Internal Server Error",
            503: "Service Unavailable"}  # fmt: skip
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024  # BatchWriteItem's limit is 16 MB
LINGER_S = 2.0  # how long a closing connection waits for the client to close its side
AWS_JSON = "application/x-amz-json-1.0"

Head = tuple[str, str, str, dict[str, str], int]  # method, target, version, headers, length


class HttpError(Exception):
    """A request we refuse to read further; answered with ``status`` and closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_head(head: bytes) -> Head:
    """Return the request line, the headers (lower-case name -> value) and the body length."""
    lines = head.decode("latin-1").lstrip("\r\n").split("\r\n")  # RFC 9112 2.2
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise HttpError(400, "malformed request line")
    method, target, version = parts
    lower: dict[str, str] = {}  # a repeated header's values are joined
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            key, value = name.strip().lower(), value.strip()
            lower[key] = f"{lower[key]}, {value}" if key in lower else value
    if "chunked" in lower.get("transfer-encoding", "").lower():
        raise HttpError(411, "a Content-Length is required")
    length_text = lower.get("content-length") or "0"
    if not (length_text.isascii() and length_text.isdigit()):
        raise HttpError(400, "malformed Content-Length")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise HttpError(413, "request body too large")
    return method, target, version, lower, length


def keeps_alive(version: str, headers: dict[str, str]) -> bool:
    """Whether the client wants the connection kept open after this request."""
    connection = headers.get("connection", "").lower()
    return (version == "HTTP/1.1" and connection != "close") or (
        version == "HTTP/1.0" and connection == "keep-alive"
    )


def aws_error(code: str, message: str) -> tuple[list[tuple[str, str]], bytes]:
    """Return the headers and body of an error in DynamoDB's JSON shape (botocore reads it)."""
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
    return [("Content-Type", AWS_JSON)], json.dumps(body).encode()


def write_answer(
    writer: asyncio.StreamWriter,
    status: int,
    headers: list[tuple[str, str]],
    data: bytes,
    keep: bool,
) -> None:
    """Write the status line, headers and body in one write (the caller drains)."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if not any(name == "Content-Length" for name, _ in headers):  # HEAD: the app set it
        lines.append(f"Content-Length: {len(data)}")
    if not keep:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
    writer.write(head + data)


async def answer_and_close(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    status: int,
    data: tuple[list[tuple[str, str]], bytes],
) -> None:
    """Answer ``status`` with ``Connection: close`` and close gently; all within LINGER_S."""
    headers, body = data
    with contextlib.suppress(Exception):
        write_answer(writer, status, headers, body, keep=False)
        async with asyncio.timeout(LINGER_S):
            await writer.drain()
    await close_gently(reader, writer)


async def close_gently(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
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
