"""SecurityListRequest (x) and SecurityDefinitionRequest (c), answered from the
venue's instruments.

SecurityListRequestType(559) 0 asks for one symbol, 4 for every instrument; 1 (by
SecurityType) filters on SecurityType(167). The SecurityList (y) carries
SecurityRequestResult(560): 0 valid, 2 no instruments found, 4 unsupported request
type. A SecurityDefinitionRequest names one instrument by Symbol(55); the
SecurityDefinition (d) says 1 (accept as is) with its fields, or 5 (reject) with a Text;
in FIX 4.2 it also carries TotalNumSecurities(393), which that version requires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .instruments import describe, resolve, security_type

if TYPE_CHECKING:
    from .application import Application
    from .codec import FixMessage

__all__ = ["security_definition", "security_list"]


def security_list(app: Application, msg: FixMessage) -> bytes:
    """The body of the SecurityList answering ``msg``."""
    values = msg.values
    req_id = values[b"320"]
    kind = values[b"559"]
    rank = app.version.rank
    instruments = list(app.venue.instruments.values())
    if kind == b"0":
        symbol = values.get(b"55", b"").decode("latin-1")
        instruments = [i for i in instruments if i.symbol == symbol]
    elif kind == b"1":
        wanted = values.get(b"167")
        instruments = [i for i in instruments if security_type(i, rank) == wanted]
    elif kind != b"4":
        return b"320=%s\x01322=%s\x01560=4\x0158=%s\x01" % (
            req_id,
            req_id,
            b"SecurityListRequestType(559) supported: 0 symbol, 1 security type, 4 all securities",
        )
    result = b"0" if instruments else b"2"
    entries = b"".join(describe(i, rank) for i in sorted(instruments, key=lambda i: i.symbol))
    body = b"320=%s\x01322=%s\x01560=%s\x01393=%d\x01" % (req_id, req_id, result, len(instruments))
    if rank >= 44:
        body += b"893=Y\x01"
    return body + b"146=%d\x01%s" % (len(instruments), entries)


def security_definition(app: Application, msg: FixMessage) -> bytes:
    """The body of the SecurityDefinition answering ``msg``."""
    values = msg.values
    req_id = values[b"320"]
    head = b"320=%s\x01322=%s\x01" % (req_id, req_id)
    rank = app.version.rank
    instrument, why = resolve(app.venue, values) if b"55" in values else (None, "no Symbol(55)")
    # FIX 4.2 requires TotalNumSecurities(393) in a SecurityDefinition (gone from 4.3)
    if instrument is None:
        return head + b"323=5\x01%s58=%s\x01" % (b"393=0\x01" if rank < 43 else b"", why.encode())
    return head + b"323=1\x01%s" % (b"393=1\x01" if rank < 43 else b"") + describe(instrument, rank)
