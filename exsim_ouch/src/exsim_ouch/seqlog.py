"""The sequenced messages of one SoupBinTCP session, numbered from 1, kept in the store.

Everything a server sends as Sequenced Data is appended here *before* it is written to
any socket, so a client that logs in again (after a disconnect or a daemon restart on
the same ``--db``) replays exactly what it missed. Recent messages are also held in
memory so that live delivery and short replays never touch the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from exsim_core.store import Store

__all__ = ["Follower", "SequencedLog"]


class Follower(Protocol):
    """A connection that follows a log live."""

    def deliver(self, seq: int, payload: bytes) -> None:
        """Message ``seq`` was just appended."""

    def wake(self) -> None:
        """Something changed (End of Session): look at the log again."""


class SequencedLog:
    """Sequenced messages of one SoupBinTCP session.

    :param store: where the messages persist.
    :param stream: the store stream name (one per session and day).
    :param name: the 10-character SoupBinTCP session identifier.
    :param cache_limit: how many recent messages to keep in memory.

    :ivar last: number of the last message (0 when empty).
    :ivar ended: End of Session was declared: no message will be added.
    """

    def __init__(self, store: Store, stream: str, name: str, cache_limit: int = 65536) -> None:
        self.store = store
        self.stream = stream
        self.name = name
        self.last = store.last_seq(stream)
        self.ended = False
        self._base = self.last
        self._cache: list[bytes] = []
        self._limit = cache_limit
        #: the connections following the log live
        self.followers: list[Follower] = []

    def append(self, payload: bytes) -> int:
        """Add one message; returns its sequence number."""
        seq = self.last = self.last + 1
        self.store.append(self.stream, seq, payload)
        cache = self._cache
        cache.append(payload)
        if len(cache) > 2 * self._limit:
            del cache[: self._limit]
            self._base += self._limit
        for follower in self.followers:
            follower.deliver(seq, payload)
        return seq

    def read(self, start: int, count: int) -> list[bytes]:
        """Up to ``count`` messages from number ``start`` on (fewer at the end)."""
        end = min(self.last, start + count - 1)
        if end < start:
            return []
        base = self._base
        if start > base:
            return self._cache[start - base - 1 : end - base]
        return [data for _, data in self.store.read(self.stream, start, end)]

    def end(self) -> None:
        """Declare End of Session: followers send it once they have caught up."""
        self.ended = True
        for follower in self.followers:
            follower.wake()

    def __repr__(self) -> str:
        return f"<SequencedLog {self.name!r} stream={self.stream!r} last={self.last}>"
