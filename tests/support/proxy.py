"""A TCP proxy a test can cut: the database "goes away" and "comes back" without touching it.

``stop()`` closes the port and every open connection (a crashed or restarted server);
``blackhole()`` accepts connections but never answers (a dead host or a full network path,
which only a connect timeout gets out of); ``partition()`` does the same and also silences the
connections already open, without closing them (a network path that went quiet mid-session:
only the client's own deadlines notice); ``start()`` forwards again on the same port.
"""

from __future__ import annotations

import random
import socket
import threading

from tests.support.processes import free_port


def outside_ephemeral_port() -> int:
    """A free port below Linux's ephemeral range: a client retrying a stopped proxy's port from an
    ephemeral port could otherwise connect to itself (TCP self-connect) and "succeed"."""
    for port in random.sample(range(20_000, 32_000), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


class TcpProxy:
    """Listens on 127.0.0.1 only. ``port``: its own (default: any free one)."""

    def __init__(self, target_host: str, target_port: int, port: int | None = None) -> None:
        self.target = (target_host, target_port)
        self.port = port or free_port()
        self.forwarding = True
        self.partitioned = False
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        self.forwarding = True
        self.partitioned = False
        if self._listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def blackhole(self) -> None:
        self._close_connections()
        self.forwarding = False

    def partition(self) -> None:
        """Open connections stay open and carry nothing more (what either side sends is
        dropped), new ones are held unanswered."""
        self.forwarding = False
        self.partitioned = True

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:  # wakes the thread blocked in accept(): close() alone leaves the port listening
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        self._close_connections()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by stop()
            self._track(client)
            if not self.forwarding:
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.partitioned:
                    sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.append(sock)

    def _close_connections(self) -> None:
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
