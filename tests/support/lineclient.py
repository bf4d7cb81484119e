"""A blocking client of the ``line`` test protocol, with bounded reads."""

from __future__ import annotations

import socket
from types import TracebackType


class LineClient:
    """One connection to a ``line`` endpoint; every read times out after ``timeout``."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.reader = self.sock.makefile("rb")
        self.seen: list[str] = []

    def send(self, line: str) -> None:
        self.sock.sendall((line + "\n").encode())

    def recv(self) -> str:
        raw = self.reader.readline()
        if not raw:
            raise EOFError("the venue closed the connection")
        line = raw.decode().strip()
        self.seen.append(line)
        return line

    def expect(self, prefix: str, limit: int = 200) -> str:
        """The next line starting with ``prefix`` (skipping up to ``limit`` others)."""
        for _ in range(limit):
            line = self.recv()
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting {prefix!r} in {limit} lines: {self.seen[-limit:]}")

    def logon(self, user: str, password: str | None = None) -> str:
        self.send(f"LOGON {user}" + (f" {password}" if password else ""))
        return self.expect("LOGON")

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self) -> LineClient:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
