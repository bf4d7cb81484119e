"""ITCH 5.0 endpoints: ``itch50`` (over SoupBinTCP) and ``itch50_mold`` (MoldUDP64).

Each running endpoint publishes its own feed of its venue (:class:`ItchFeed`) in a new
session named ``YYYYMMDDnn`` (the venue's date and a count of the endpoint's starts),
whose messages persist in the store. Over SoupBinTCP a client logs in (any number of
connections per login) and replays from any sequence number; it may also name an
earlier session of the endpoint to replay it, after which it gets End of Session. At
shutdown the feed publishes End of Messages and the session ends.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .itchfeed import ItchFeed
from .seqlog import SequencedLog
from .soupconnection import SoupConnection
from .soupserver import SoupEndpoint

if TYPE_CHECKING:
    import anyio.abc

    from exsim_core import Session, Venue
    from exsim_core.store import Store

__all__ = ["Itch50Endpoint", "new_session_name"]


def new_session_name(store: Store, namespace: str, venue: Venue) -> str:
    """A new session name ``YYYYMMDDnn`` for ``namespace``, recorded in the store with
    the earlier ones (key ``sessions``, comma-separated)."""
    now = venue.clock.now_ns()
    today = dt.datetime.fromtimestamp(now // 1_000_000_000, venue.zone).strftime("%Y%m%d")
    known = [s for s in (store.get(namespace, "sessions") or "").split(",") if s]
    count = sum(1 for s in known if s.startswith(today))
    name = f"{today}{count + 1:02d}"
    store.put(namespace, "sessions", ",".join([*known, name]))
    store.flush()
    return name


class Itch50Endpoint(SoupEndpoint):
    """ITCH 5.0 market data over SoupBinTCP."""

    name = "itch50"
    description = "Nasdaq TotalView-ITCH 5.0 market data over SoupBinTCP (replay from any number)"
    max_connections = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed: ItchFeed | None = None
        self.current: SequencedLog | None = None
        self._earlier: dict[str, SequencedLog] = {}

    @property
    def namespace(self) -> str:
        return f"itch:{self.endpoint.name}"

    async def run(self, task_status: anyio.abc.TaskStatus[Any]) -> None:
        name = new_session_name(self.store, self.namespace, self.context.venue)
        self.current = SequencedLog(self.store, f"{self.namespace}:{name}", name)
        self.feed = ItchFeed(self.context.venue, self.current)
        self.feed.start()
        self.store.flush()
        task_status.started()

    def log_for(self, session: Session, requested: str) -> SequencedLog | None:
        current = self.current
        if current is None:
            return None
        if not requested or requested == current.name:
            return current
        earlier = self._earlier.get(requested)
        if earlier is None:
            known = (self.store.get(self.namespace, "sessions") or "").split(",")
            if requested not in known:
                return None
            earlier = SequencedLog(self.store, f"{self.namespace}:{requested}", requested)
            earlier.end()
            self._earlier[requested] = earlier
        return earlier

    def on_message(self, session: Session, conn: SoupConnection, payload: bytes) -> None:
        conn.send_debug("exsim: an ITCH feed takes no messages from clients; ignored")

    def on_stop(self) -> None:
        if self.feed is not None:
            self.feed.stop()
        if self.current is not None and not self.current.ended:
            self.current.end()
        self.store.flush()
