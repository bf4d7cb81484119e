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

import contextlib
import dataclasses
import datetime
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CACHE = Path(os.environ.get("EXSIM_QUICKFIX_CACHE", REPO / ".cache" / "quickfix"))
EXAMPLES = Path("/usr/share/doc/libquickfix-doc/examples/ordermatch")
SPEC_DIR = Path(os.environ.get("QUICKFIX_SPEC_DIR", "/usr/local/share/quickfix/spec"))
INSTALL_HINT = "run tests/interop/quickfix/install.sh"
CXXFLAGS = ["-std=gnu++14", "-O2", "-Wall", "-Wno-deprecated", "-Wno-deprecated-declarations"]
PROGRAMS = {
    "qf_client": ["qf_client.cpp", "fixwire.h"],
    "qf_load": ["qf_load.cpp", "fixwire.h"],
    "ack_acceptor": ["ack_acceptor.cpp", "fixwire.h"],
}
# ordermatch.cpp hard-codes a FileStore; the MemoryStore variant swaps this one statement
# in the build copy (QuickFIX's sources are never changed in place nor kept in exsim).
FILE_STORE_LINE = "FIX::FileStoreFactory storeFactory( settings );"
MEMORY_STORE_LINE = "FIX::MemoryStoreFactory storeFactory;"


class QuickFixMissing(QuickFixError):
    """QuickFIX, its data dictionaries or the C++ toolchain is not installed."""


class BuildError(QuickFixError):
    """A program did not compile; the message carries the compiler's output."""


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


def _missing() -> list[str]:
    checks = {
        "g++": shutil.which("g++") is not None,
        "QuickFIX headers (libquickfix-dev)": Path("/usr/include/quickfix/Session.h").exists(),
        "nlohmann JSON headers (nlohmann-json3-dev)": Path(
            "/usr/include/nlohmann/json.hpp"
        ).exists(),
        "ordermatch example sources (libquickfix-doc)": (EXAMPLES / "ordermatch.cpp").exists(),
        f"data dictionaries in {SPEC_DIR}": (SPEC_DIR / "FIX42.xml").exists(),
    }
    return [name for name, present in checks.items() if not present]


def _link_flags() -> list[str]:
    try:
        out = subprocess.run(
            ["pkg-config", "--cflags", "--libs", "quickfix"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        flags = out.split()
    except (OSError, subprocess.SubprocessError):
        flags = ["-lquickfix"]
    return [*flags, "-lpthread"]


@contextlib.contextmanager
def _cache_lock() -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _compile(target: Path, sources: list[Path], workdir: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    command = [
        "g++",
        *CXXFLAGS,
        f"-I{workdir}",
        "-o",
        str(partial),
        *map(str, sources),
        *_link_flags(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired as error:
        raise BuildError(f"compiling {target.name} took over 600 s") from error
    if done.returncode != 0:
        raise BuildError(f"compiling {target.name} failed:\n{' '.join(command)}\n{done.stderr}")
    partial.replace(target)


def _prune(target: Path) -> None:
    """Remove older builds of the same program (same name, other source hash)."""
    stem = target.name.rsplit("-", 1)[0]
    for old in CACHE.glob(f"{stem}-*"):
        if old != target and old.name.rsplit("-", 1)[0] == stem:
            old.unlink(missing_ok=True)


def _cached(name: str, inputs: list[tuple[str, bytes]]) -> Path:
    digest = hashlib.sha256()
    for part in [*CXXFLAGS, *_link_flags()]:
        digest.update(part.encode() + b"\0")
    for label, content in inputs:
        digest.update(label.encode() + b"\0" + content + b"\0")
    return CACHE / f"{name}-{digest.hexdigest()[:16]}"


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
        missing = _missing()
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
        if name in self._built:
            return self._built[name]
        sources = [HERE / source for source in PROGRAMS[name]]
        target = _cached(name, [(path.name, path.read_bytes()) for path in sources])
        with _cache_lock():
            if not target.exists():
                _compile(target, [path for path in sources if path.suffix == ".cpp"], HERE)
                _prune(target)
        self._built[name] = target
        return target

    def ordermatch_binary(self, store: str = "file") -> Path:
        """QuickFIX's ``ordermatch`` example acceptor, compiled from the installed example
        sources; ``store="memory"`` builds it with a MemoryStore instead of its FileStore."""
        if store not in ("file", "memory"):
            raise ValueError(f"store must be 'file' or 'memory', not {store!r}")
        key = f"ordermatch-{store}"
        if key in self._built:
            return self._built[key]
        files = sorted(
            path
            for path in EXAMPLES.iterdir()
            if path.is_file() and path.name.endswith((".cpp", ".h", ".cpp.gz", ".h.gz"))
        )
        inputs = [(path.name, path.read_bytes()) for path in files]
        target = _cached(key, inputs)
        with _cache_lock():
            if not target.exists():
                with tempfile.TemporaryDirectory(prefix="ordermatch-") as tmp:
                    self._stage_ordermatch(files, Path(tmp), store)
                    sources = [
                        Path(tmp) / name
                        for name in ("ordermatch.cpp", "Application.cpp", "Market.cpp")
                    ]
                    _compile(target, sources, Path(tmp))
                _prune(target)
        self._built[key] = target
        return target

    @staticmethod
    def _stage_ordermatch(files: list[Path], workdir: Path, store: str) -> None:
        for path in files:
            data = path.read_bytes()
            name = path.name
            if name.endswith(".gz"):
                data, name = gzip.decompress(data), name[:-3]
            (workdir / name).write_bytes(data)
        # The examples include an autoconf "config.h" that only the QuickFIX tree has.
        (workdir / "config.h").write_text("")
        if store == "memory":
            main = workdir / "ordermatch.cpp"
            text = main.read_text()
            if FILE_STORE_LINE not in text:
                raise BuildError(
                    f"{EXAMPLES / 'ordermatch.cpp'} no longer contains "
                    f"{FILE_STORE_LINE!r}; cannot build its MemoryStore variant"
                )
            main.write_text(text.replace(FILE_STORE_LINE, MEMORY_STORE_LINE))

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
