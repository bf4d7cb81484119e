"""Third-party routing: a reply goes back the way the request came.

A message that came *on behalf of* a firm (OnBehalfOfCompID 115, OnBehalfOfSubID 116,
OnBehalfOfLocationID 144) is answered *to* it (DeliverToCompID 128, DeliverToSubID
129, DeliverToLocationID 145), and the other way round (FIX session test case
ReverseRoute). Empty routing values are not reversed.
"""

from __future__ import annotations

__all__ = ["ROUTING_TAGS", "reverse_route"]

_REVERSE = {
    b"115": b"128",
    b"116": b"129",
    b"144": b"145",
    b"128": b"115",
    b"129": b"116",
    b"145": b"144",
}
#: the routing header tags (a message with none of them needs no reverse route)
ROUTING_TAGS = frozenset(_REVERSE)


def reverse_route(values: dict[bytes, bytes]) -> bytes:
    """The header fields routing a reply to a message with ``values`` (b"" for most)."""
    if ROUTING_TAGS.isdisjoint(values):
        return b""
    fields = sorted(
        (int(_REVERSE[tag]), values[tag])
        for tag in ROUTING_TAGS.intersection(values)
        if values[tag]
    )
    return b"".join(b"%d=%s\x01" % field for field in fields)
