"""A TCP proxy in front of PostgreSQL that can stop answering, like a paused server.

Paused, it keeps every connection open and forwards nothing either way (new
connections are accepted and then hang too): what a client sees of a server stopped
with SIGSTOP, without pausing the test stack's own PostgreSQL.
"""

from __future__ import annotations

import select
import socket
import threading


class PausableProxy:
    """Forwards 127.0.0.1:<port> to ``upstream``; ``pause()`` / ``resume()``; ``close()``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.running = threading.Event()
        self.running.set()
        self.closed = False
        self.sockets: list[socket.socket] = [self.listener]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def pause(self) -> None:
        self.running.clear()

    def resume(self) -> None:
        self.running.set()

    def close(self) -> None:
        self.closed = True
        self.running.set()
        for sock in list(self.sockets):
            sock.close()
        self.thread.join(timeout=5)

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        self.running.wait()
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        self.sockets.append(server)
        peers = {client: server, server: client}
        try:
            while not self.closed:
                self.running.wait()
                readable, _, _ = select.select(list(peers), [], [], 0.05)
                for sock in readable:
                    if not self.running.is_set():
                        break  # paused between select and read: hold the bytes
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            server.close()
