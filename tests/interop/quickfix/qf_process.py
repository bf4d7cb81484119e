"""Processes of the QuickFIX peers: ordermatch, qf_client and ack_acceptor.

Every process started here is stopped by its ``close``/``stop`` (also on leaving its
``with`` block), and every wait is bounded. The exception tree is drawn in ``harness``.
"""

from __future__ import annotations

import abc
import contextlib
import json
import queue
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

Message = dict[str, Any]
"""One line of qf_client output for a message: dir, msg_type, seq, fields, raw."""


class QuickFixError(Exception):
    """Base of every error raised by the QuickFIX harness."""


class PeerError(QuickFixError):
    """A peer process did not start, answer or stop in time."""


class CommandFailed(QuickFixError):
    """qf_client answered a command with an error; the message carries its text."""


def field(message: Message, tag: int) -> str | None:
    """The value of the first ``tag`` in ``message``, or None when it is absent."""
    for number, value in message["fields"]:
        if number == tag:
            return str(value)
    return None


def _stop(process: subprocess.Popen[Any], timeout: float) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


class _Peer(abc.ABC):
    """Context-manager plumbing shared by the process wrappers."""

    @abc.abstractmethod
    def close(self) -> None:
        """Stop the process; safe to call more than once."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class Ordermatch(_Peer):
    """QuickFIX's ordermatch example acceptor, run from its settings file.

    Its standard input stays an open pipe while it runs: ordermatch reads console
    commands there and, at end of input, would loop printing forever.
    """

    def __init__(self, binary: Path, settings: Path, port: int, log: Path) -> None:
        self.binary, self.settings, self.port, self.log = binary, settings, port, log
        self.comp_id = "ORDERMATCH"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start the process and return once its port accepts connections."""
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [str(self.binary), str(self.settings)],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise PeerError(
                    f"ordermatch exited with {self._process.returncode}: "
                    f"{self.log.read_text(errors='replace')[-2000:]}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        self.close()
        raise PeerError(f"ordermatch did not listen on port {self.port} within {timeout} s")

    def close(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 5 s)."""
        if self._process is not None:
            _stop(self._process, 5.0)
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process = None


class QfClient(_Peer):
    """A running ``qf_client``: send it commands, read what its FIX engine saw.

    Each command method writes one JSON line and returns the matching result; an error
    result raises :class:`CommandFailed`. :attr:`lines` holds every line printed so far.
    """

    def __init__(self, binary: Path, spec_dir: Path, log: Path | None = None) -> None:
        self._log: IO[str] | None = log.open("a") if log else None
        self._process = subprocess.Popen(
            [str(binary), "--keep-going", "--spec-dir", str(spec_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._results: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for text in self._process.stdout:
            if self._log:
                self._log.write(text)
            try:
                line = json.loads(text)
            except json.JSONDecodeError:
                line = {"event": "output", "text": text.rstrip("\n")}
            with self._lock:
                self.lines.append(line)
            if "result" in line:
                self._results.put(line)

    def command(self, cmd: str, **params: Any) -> dict[str, Any]:
        """Run one command and return its result line (see qf_client.cpp for commands)."""
        if self._process.poll() is not None or self._process.stdin is None:
            raise PeerError(f"qf_client has exited ({self._process.returncode})")
        self._process.stdin.write(json.dumps({"cmd": cmd, **params}) + "\n")
        self._process.stdin.flush()
        limit = float(params.get("timeout") or 10.0) + 10.0
        try:
            result = self._results.get(timeout=limit)
        except queue.Empty:
            raise PeerError(f"qf_client gave no result for {cmd!r} within {limit} s") from None
        if result["result"] != "ok":
            raise CommandFailed(f"{cmd}: {result.get('text')}")
        return result

    def connect(
        self, *, port: int, sender: str, target: str, begin_string: str = "FIX.4.2", **params: Any
    ) -> dict[str, Any]:
        """Log on; ``params`` as for qf_client's ``connect`` (heartbeat, store, ...)."""
        return self.command(
            "connect", port=port, sender=sender, target=target, begin_string=begin_string, **params
        )

    def send(
        self,
        msg_type: str,
        fields: list[tuple[str | int, Any]] | dict[str, Any],
        header: list[tuple[str | int, Any]] | None = None,
    ) -> int:
        """Send one message; returns the MsgSeqNum QuickFIX gave it."""
        params: dict[str, Any] = {"msg_type": msg_type, "fields": _pairs(fields)}
        if header:
            params["header"] = _pairs(header)
        return int(self.command("send", **params)["seq"])

    def wait(
        self,
        msg_type: str | None = None,
        where: dict[str, Any] | None = None,
        *,
        timeout: float = 5.0,
        direction: str = "in",
    ) -> Message:
        """The first not-yet-consumed message matching, waiting up to ``timeout``."""
        params: dict[str, Any] = {"dir": direction, "where": where or {}, "timeout": timeout}
        if msg_type:
            params["msg_type"] = msg_type
        message: Message = self.command("wait", **params)["message"]
        return message

    def messages(self, direction: str | None = None, msg_type: str | None = None) -> list[Message]:
        """Every message seen so far, in order, optionally filtered."""
        with self._lock:
            lines = list(self.lines)
        return [
            line
            for line in lines
            if "dir" in line
            and (direction is None or line["dir"] == direction)
            and (msg_type is None or line["msg_type"] == msg_type)
        ]

    def close(self) -> None:
        """End the process (``exit``, then SIGTERM/SIGKILL if it lingers)."""
        if self._process.poll() is None and self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.write('{"cmd": "exit"}\n')
                self._process.stdin.flush()
            try:
                self._process.wait(5.0)
            except subprocess.TimeoutExpired:
                _stop(self._process, 5.0)
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        self._reader.join(5.0)
        if self._process.stdout is not None:
            self._process.stdout.close()
        if self._log:
            self._log.close()
            self._log = None


def _pairs(fields: list[tuple[str | int, Any]] | dict[str, Any]) -> list[list[Any]]:
    items = fields.items() if isinstance(fields, dict) else fields
    return [[str(key), value] for key, value in items]


class AckAcceptor(_Peer):
    """The raw-socket acceptor that acknowledges every NewOrderSingle (ack_acceptor.cpp)."""

    def __init__(self, binary: Path, timeout: float = 10.0) -> None:
        self._process = subprocess.Popen(
            [str(binary), "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready: queue.Queue[str] = queue.Queue()
        assert self._process.stdout is not None
        stdout = self._process.stdout
        threading.Thread(target=lambda: ready.put(stdout.readline()), daemon=True).start()
        try:
            self.port = int(json.loads(ready.get(timeout=timeout))["port"])
        except (queue.Empty, ValueError, KeyError) as error:
            self.close()
            raise PeerError("ack_acceptor did not report its port") from error

    def close(self) -> None:
        """Stop it: end of its standard input, then SIGTERM/SIGKILL if it lingers."""
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(5.0)
        except subprocess.TimeoutExpired:
            _stop(self._process, 5.0)
        if self._process.stdout is not None:
            self._process.stdout.close()
