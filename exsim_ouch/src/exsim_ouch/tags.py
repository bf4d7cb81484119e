"""What an OUCH endpoint keeps on each of its orders (``Order.tag``).

The venue never reads a tag; the OUCH account that sent the order does, to answer in
the client's terms (token or UserRefNum, the fields as entered), and the ITCH feed reads
:attr:`OrderTag.mpid` to publish attributable orders with their MPID.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OrderTag"]


class OrderTag:
    """Per-order OUCH state.

    :ivar key: the order's identity on the wire: the 14-byte token (4.2) or the
        UserRefNum (5.0).
    :ivar prev_key: the identity it replaced (Replaced messages), or None.
    :ivar fields: the entered values echoed in Accepted/Replaced, by name.
    :ivar mpid: the 4-byte attribution an ITCH Add Order with MPID shows, or None for an
        anonymous order.
    :ivar pending: a change in flight whose answer is not a plain Canceled/Replaced:
        ``"modify"`` (answered by Order Modified).
    :ivar told: one-time answers already sent (``"P"`` Cancel Pending, ``"I"`` Cancel
        Reject).
    """

    __slots__ = ("fields", "key", "mpid", "pending", "prev_key", "told")

    def __init__(
        self,
        key: Any,
        fields: dict[str, Any],
        mpid: bytes | None = None,
        prev_key: Any = None,
    ) -> None:
        self.key = key
        self.fields = fields
        self.mpid = mpid
        self.prev_key = prev_key
        self.pending: str | None = None
        self.told = ""

    def successor(self, key: Any, changes: dict[str, Any]) -> OrderTag:
        """The tag of the replacement order: same fields but ``changes``."""
        return OrderTag(key, self.fields | changes, self.mpid, self.key)

    def __repr__(self) -> str:
        return f"<OrderTag {self.key!r} prev={self.prev_key!r} mpid={self.mpid!r}>"
