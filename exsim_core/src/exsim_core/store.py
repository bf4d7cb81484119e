"""Persistent state for protocols and the journal: small values and message logs.

Two implementations of one interface:

* :class:`MemoryStore` — the default, for tests and throw-away venues;
* :class:`SqliteStore` — the daemon's ``--db FILE``: SQLite (standard library) in
  write-ahead-log mode.

What a protocol keeps here: its sequence numbers (:meth:`Store.put` / :meth:`Store.get`
under a namespace such as ``fix:SESSION``) and the messages it sent, for resend and
replay (:meth:`Store.append` / :meth:`Store.read` on a stream such as
``fix:SESSION:out``).

Durability: writes are buffered and committed by :meth:`Store.flush`. With
``durability="sync"`` every write commits at once (and is fsynced by SQLite's
``synchronous=FULL``); with ``"group"`` (the default) the owner calls :meth:`Store.flush`
after each batch of work (the daemon does so after every network read and every timer), so
one commit covers many messages. Nothing a client has been *sent* is ever lost:
protocols append outbound messages before writing them to the socket, and the daemon
flushes before every socket write it makes in group mode.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

__all__ = ["MemoryStore", "SqliteStore", "Store", "open_store"]

Durability = Literal["sync", "group"]


class Store:
    """Interface of stores (see the module documentation)."""

    durability: Durability = "group"

    def get(self, namespace: str, key: str) -> str | None:
        raise NotImplementedError

    def put(self, namespace: str, key: str, value: str) -> None:
        raise NotImplementedError

    def delete(self, namespace: str, key: str | None = None) -> None:
        """Delete one key, or every key of ``namespace``."""
        raise NotImplementedError

    def items(self, namespace: str) -> dict[str, str]:
        raise NotImplementedError

    def append(self, stream: str, seq: int, data: bytes) -> None:
        """Record message ``seq`` of ``stream`` (replacing any message with that number)."""
        raise NotImplementedError

    def read(
        self, stream: str, start: int = 1, end: int | None = None
    ) -> Iterator[tuple[int, bytes]]:
        """Messages of ``stream`` numbered ``start`` to ``end`` (inclusive), in order."""
        raise NotImplementedError

    def last_seq(self, stream: str) -> int:
        """Highest message number of ``stream`` (0 when empty)."""
        raise NotImplementedError

    def truncate(self, stream: str) -> None:
        """Forget every message of ``stream`` (a sequence reset)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget everything: every namespace and every stream (a reset)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Commit buffered writes."""

    def close(self) -> None:
        self.flush()


class MemoryStore(Store):
    """A store that lives as long as the process."""

    def __init__(self) -> None:
        self._kv: dict[str, dict[str, str]] = {}
        self._streams: dict[str, dict[int, bytes]] = {}

    def get(self, namespace: str, key: str) -> str | None:
        return self._kv.get(namespace, {}).get(key)

    def put(self, namespace: str, key: str, value: str) -> None:
        self._kv.setdefault(namespace, {})[key] = value

    def delete(self, namespace: str, key: str | None = None) -> None:
        if key is None:
            self._kv.pop(namespace, None)
        else:
            self._kv.get(namespace, {}).pop(key, None)

    def items(self, namespace: str) -> dict[str, str]:
        return dict(self._kv.get(namespace, {}))

    def append(self, stream: str, seq: int, data: bytes) -> None:
        # one lookup, and no throw-away dict: this runs for every message a protocol sends
        messages = self._streams.get(stream)
        if messages is None:
            messages = self._streams[stream] = {}
        messages[seq] = data if type(data) is bytes else bytes(data)

    def read(
        self, stream: str, start: int = 1, end: int | None = None
    ) -> Iterator[tuple[int, bytes]]:
        messages = self._streams.get(stream, {})
        last = max(messages, default=0) if end is None else end
        for seq in range(max(start, 1), last + 1):
            data = messages.get(seq)
            if data is not None:
                yield seq, data

    def last_seq(self, stream: str) -> int:
        return max(self._streams.get(stream, {}), default=0)

    def truncate(self, stream: str) -> None:
        self._streams.pop(stream, None)

    def clear(self) -> None:
        self._kv.clear()
        self._streams.clear()


class SqliteStore(Store):
    """A store in one SQLite file (write-ahead log; see the module notes on durability).

    The connection belongs to the daemon's event-loop thread; a lock makes the few calls
    from other threads (a blocking portal, a test) safe.
    """

    def __init__(self, path: str | Path, durability: Durability = "group") -> None:
        self.path = Path(path)
        self.durability = durability
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        db = self._db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={'FULL' if durability == 'sync' else 'NORMAL'}")
        db.execute(
            "CREATE TABLE IF NOT EXISTS kv (ns TEXT, key TEXT, value TEXT, PRIMARY KEY (ns, key))"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS messages (stream TEXT, seq INTEGER, data BLOB,"
            " PRIMARY KEY (stream, seq)) WITHOUT ROWID"
        )
        self._in_tx = False

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        with self._lock:
            if not self._in_tx:
                self._db.execute("BEGIN")
                self._in_tx = True
            self._db.execute(sql, args)
            if self.durability == "sync":
                self._commit()

    def _commit(self) -> None:
        if self._in_tx:
            self._db.execute("COMMIT")
            self._in_tx = False

    def get(self, namespace: str, key: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM kv WHERE ns=? AND key=?", (namespace, key)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, namespace: str, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", (namespace, key, value))

    def delete(self, namespace: str, key: str | None = None) -> None:
        if key is None:
            self._write("DELETE FROM kv WHERE ns=?", (namespace,))
        else:
            self._write("DELETE FROM kv WHERE ns=? AND key=?", (namespace, key))

    def items(self, namespace: str) -> dict[str, str]:
        with self._lock:
            rows = self._db.execute("SELECT key, value FROM kv WHERE ns=?", (namespace,)).fetchall()
        return {str(k): str(v) for k, v in rows}

    def append(self, stream: str, seq: int, data: bytes) -> None:
        self._write("INSERT OR REPLACE INTO messages VALUES (?, ?, ?)", (stream, seq, bytes(data)))

    def read(
        self, stream: str, start: int = 1, end: int | None = None
    ) -> Iterator[tuple[int, bytes]]:
        with self._lock:
            if end is None:
                rows = self._db.execute(
                    "SELECT seq, data FROM messages WHERE stream=? AND seq>=? ORDER BY seq",
                    (stream, start),
                ).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT seq, data FROM messages WHERE stream=? AND seq BETWEEN ? AND ?"
                    " ORDER BY seq",
                    (stream, start, end),
                ).fetchall()
        for seq, data in rows:
            yield int(seq), bytes(data)

    def last_seq(self, stream: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(seq) FROM messages WHERE stream=?", (stream,)
            ).fetchone()
        return int(row[0] or 0)

    def truncate(self, stream: str) -> None:
        self._write("DELETE FROM messages WHERE stream=?", (stream,))

    def clear(self) -> None:
        self._write("DELETE FROM kv", ())
        self._write("DELETE FROM messages", ())

    def flush(self) -> None:
        with self._lock:
            self._commit()

    def close(self) -> None:
        with self._lock:
            self._commit()
            self._db.close()


def open_store(path: str | Path | None, durability: Durability = "group") -> Store:
    """A :class:`SqliteStore` on ``path``, or a :class:`MemoryStore` when it is None."""
    return MemoryStore() if path is None else SqliteStore(path, durability)
