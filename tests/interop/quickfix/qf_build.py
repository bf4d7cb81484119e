"""Compiling the QuickFIX peers: our programs and QuickFIX's ``ordermatch`` example.

Binaries go to ``.cache/quickfix/`` (``EXSIM_QUICKFIX_CACHE``) named after a hash of their
sources and compiler flags, so a changed source rebuilds and an unchanged one never does;
a file lock makes concurrent test workers build each binary once.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from qf_process import QuickFixError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CACHE = Path(os.environ.get("EXSIM_QUICKFIX_CACHE", REPO / ".cache" / "quickfix"))
EXAMPLES = Path("/usr/share/doc/libquickfix-doc/examples/ordermatch")
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


def missing_requirements(spec_dir: Path) -> list[str]:
    """What is missing to build and run the peers, as readable names (empty if nothing)."""
    checks = {
        "g++": shutil.which("g++") is not None,
        "QuickFIX headers (libquickfix-dev)": Path("/usr/include/quickfix/Session.h").exists(),
        "nlohmann JSON headers (nlohmann-json3-dev)": Path(
            "/usr/include/nlohmann/json.hpp"
        ).exists(),
        "ordermatch example sources (libquickfix-doc)": (EXAMPLES / "ordermatch.cpp").exists(),
        f"data dictionaries in {spec_dir}": (spec_dir / "FIX42.xml").exists(),
    }
    return [name for name, present in checks.items() if not present]


@functools.cache
def _link_flags() -> tuple[str, ...]:
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
    return (*flags, "-lpthread")


@contextlib.contextmanager
def _cache_lock(name: str) -> Iterator[None]:
    """Hold the build lock of one program (other programs may build meanwhile)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f".{name}.lock").open("w") as lock:
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


def build_program(name: str) -> Path:
    """Path to one of our programs (``qf_client``, ``qf_load``, ``ack_acceptor``),
    compiled now unless a build of the same sources is cached."""
    sources = [HERE / source for source in PROGRAMS[name]]
    target = _cached(name, [(path.name, path.read_bytes()) for path in sources])
    with _cache_lock(name):
        if not target.exists():
            _compile(target, [path for path in sources if path.suffix == ".cpp"], HERE)
            _prune(target)
    return target


def build_ordermatch(store: str = "file") -> Path:
    """QuickFIX's ``ordermatch`` example acceptor, compiled from the installed example
    sources; ``store="memory"`` builds it with a MemoryStore instead of its FileStore."""
    if store not in ("file", "memory"):
        raise ValueError(f"store must be 'file' or 'memory', not {store!r}")
    key = f"ordermatch-{store}"
    files = sorted(
        path
        for path in EXAMPLES.iterdir()
        if path.is_file() and path.name.endswith((".cpp", ".h", ".cpp.gz", ".h.gz"))
    )
    inputs = [(path.name, path.read_bytes()) for path in files]
    target = _cached(key, inputs)
    with _cache_lock(key):
        if not target.exists():
            with tempfile.TemporaryDirectory(prefix="ordermatch-") as tmp:
                _stage_ordermatch(files, Path(tmp), store)
                sources = [
                    Path(tmp) / name for name in ("ordermatch.cpp", "Application.cpp", "Market.cpp")
                ]
                _compile(target, sources, Path(tmp))
            _prune(target)
    return target


def _stage_ordermatch(files: list[Path], workdir: Path, store: str) -> None:
    """Copy the example sources into ``workdir`` ready to compile (unzipped, with an empty
    config.h, and the store swapped for the memory variant)."""
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
