"""Build and run QuickFIX peers for exsim's FIX interoperability tests and benchmarks.

QuickFIX (C++, Debian's ``libquickfix-dev``) is an independent FIX engine. This module
compiles our programs against it (``qf_client``, ``qf_load``, ``ack_acceptor``), compiles
QuickFIX's own example exchange ``ordermatch`` from the installed example sources, writes
QuickFIX settings files, and starts and stops those processes with bounded waits. Binaries
are cached in ``.cache/quickfix/`` under a hash of their sources and compiler flags.

Exceptions::

    QuickFixError              anything this module cannot do
    ├── QuickFixMissing        QuickFIX, its data dictionaries or a compiler is not installed
    ├── BuildError             a program did not compile
    ├── PeerError              a process did not start, answer or stop in time
    └── CommandFailed          qf_client answered a command with an error
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from qf_build import (
    BuildError,
    QuickFixMissing,
    build_ordermatch,
    build_program,
    missing_requirements,
)
from qf_process import (
    AckAcceptor,
    CommandFailed,
    Message,
    Ordermatch,
    PeerError,
    QfClient,
    QuickFixError,
    field,
)

__all__ = [
    "INSTALL_HINT",
    "AckAcceptor",
    "BuildError",
    "CommandFailed",
    "Message",
    "Ordermatch",
    "PeerError",
    "QfClient",
    "QuickFix",
    "QuickFixError",
    "QuickFixMissing",
    "field",
    "frame",
    "free_port",
    "ordermatch_settings",
    "utc_timestamp",
]

SPEC_DIR = Path(os.environ.get("QUICKFIX_SPEC_DIR", "/usr/local/share/quickfix/spec"))
INSTALL_HINT = "run tests/interop/quickfix/install.sh"


def utc_timestamp() -> str:
    """The current UTC time as a FIX UTCTimestamp with milliseconds."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y%m%d-%H:%M:%S.") + f"{now.microsecond // 1000:03d}"


def frame(begin_string: str, msg_type: str, fields: list[tuple[int, object]]) -> bytes:
    """One FIX message with BodyLength (9) and CheckSum (10) computed, for tests that must
    put exact bytes on the wire (``fields`` go after MsgType, in the order given)."""
    body = f"35={msg_type}\x01" + "".join(f"{tag}={value}\x01" for tag, value in fields)
    head = f"8={begin_string}\x019={len(body.encode())}\x01{body}".encode()
    return head + f"10={sum(head) % 256:03d}\x01".encode()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ordermatch_settings(
    *,
    port: int,
    store_dir: Path,
    clients: tuple[str, ...],
    data_dictionary: Path,
    comp_id: str = "ORDERMATCH",
    reset_on_logon: bool = True,
    screen_log: bool = True,
) -> str:
    """QuickFIX acceptor settings for ordermatch: one FIX 4.2 session per client CompID."""
    flag = "Y" if screen_log else "N"
    lines = [
        "[DEFAULT]",
        "ConnectionType=acceptor",
        f"SocketAcceptPort={port}",
        "SocketReuseAddress=Y",
        "SocketNodelay=Y",
        "BeginString=FIX.4.2",
        f"SenderCompID={comp_id}",
        f"FileStorePath={store_dir}",
        "StartTime=00:00:00",
        "EndTime=00:00:00",
        "UseDataDictionary=Y",
        f"DataDictionary={data_dictionary}",
        f"ResetOnLogon={'Y' if reset_on_logon else 'N'}",
        f"ScreenLogShowIncoming={flag}",
        f"ScreenLogShowOutgoing={flag}",
        f"ScreenLogShowEvents={flag}",
    ]
    for client in clients:
        lines += ["[SESSION]", f"TargetCompID={client}"]
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class QuickFix:
    """The installed QuickFIX toolkit: builds programs on first use and starts peers.

    :param spec_dir: folder holding QuickFIX's data dictionaries (FIX42.xml, ...).
    """

    spec_dir: Path = SPEC_DIR
    _built: dict[str, Path] = dataclasses.field(default_factory=dict)

    @classmethod
    def locate(cls) -> QuickFix:
        """The toolkit, or :class:`QuickFixMissing` naming what to install and how."""
        missing = missing_requirements(SPEC_DIR)
        if missing:
            raise QuickFixMissing(
                f"QuickFIX is not ready (missing: {', '.join(missing)}); {INSTALL_HINT}"
            )
        return cls()

    def dictionary(self, begin_string: str) -> Path:
        """The data dictionary file for ``begin_string`` (``FIX.4.2`` -> ``FIX42.xml``)."""
        return self.spec_dir / (begin_string.replace(".", "") + ".xml")

    def program(self, name: str) -> Path:
        """Path to one of our programs (``qf_client``, ``qf_load``, ``ack_acceptor``),
        compiled now unless a build of the same sources is cached."""
        if name not in self._built:
            self._built[name] = build_program(name)
        return self._built[name]

    def ordermatch_binary(self, store: str = "file") -> Path:
        """QuickFIX's ``ordermatch`` example acceptor, compiled from the installed example
        sources; ``store="memory"`` builds it with a MemoryStore instead of its FileStore."""
        key = f"ordermatch-{store}"
        if key not in self._built:
            self._built[key] = build_ordermatch(store)
        return self._built[key]

    def ordermatch(
        self,
        workdir: Path,
        *,
        clients: tuple[str, ...] = ("CLIENT1", "CLIENT2"),
        store: str = "file",
        reset_on_logon: bool = True,
        screen_log: bool = True,
        port: int | None = None,
        timeout: float = 10.0,
    ) -> Ordermatch:
        """Start ordermatch accepting FIX 4.2 sessions ``client -> ORDERMATCH`` on
        127.0.0.1 (QuickFIX 1.15 binds every interface), and return once it listens.
        Its settings, store and screen log live in ``workdir``."""
        binary = self.ordermatch_binary(store)
        workdir.mkdir(parents=True, exist_ok=True)
        port = port or free_port()
        settings = workdir / "ordermatch.cfg"
        settings.write_text(
            ordermatch_settings(
                port=port,
                store_dir=workdir / "store",
                clients=clients,
                data_dictionary=self.dictionary("FIX.4.2"),
                reset_on_logon=reset_on_logon,
                screen_log=screen_log,
            )
        )
        process = Ordermatch(binary, settings, port, workdir / "ordermatch.log")
        process.start(timeout)
        return process

    def client(self, log: Path | None = None) -> QfClient:
        """Start a ``qf_client`` process, ready for commands (see :class:`QfClient`)."""
        return QfClient(self.program("qf_client"), self.spec_dir, log)

    def ack_acceptor(self) -> AckAcceptor:
        """Start the raw-socket acceptor that acknowledges every order at once."""
        return AckAcceptor(self.program("ack_acceptor"))

    def load(
        self,
        *,
        port: int,
        target: str,
        host: str = "127.0.0.1",
        timeout: float = 300.0,
        **options: Any,
    ) -> dict[str, Any]:
        """Run ``qf_load`` once and return its JSON result.

        Keyword options map to its flags (``sessions=10`` -> ``--sessions 10``; ``True``
        adds a bare flag, ``False``/``None`` omits it; lists are comma-joined)."""
        command = [
            str(self.program("qf_load")),
            "--host",
            host,
            "--port",
            str(port),
            "--target",
            target,
            "--spec-dir",
            str(self.spec_dir),
            "--timeout",
            str(timeout),
        ]
        for key, value in options.items():
            flag = "--" + key.replace("_", "-")
            if value is True:
                command.append(flag)
            elif value not in (False, None):
                text = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
                command += [flag, str(text)]
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout + 30, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise PeerError(f"qf_load did not finish within {timeout + 30:.0f} s") from error
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise PeerError(
                f"qf_load printed no result (exit {done.returncode}): {done.stderr.strip()}"
            )
        result: dict[str, Any] = json.loads(lines[-1])
        result["wall_s"] = time.monotonic() - started
        return result
