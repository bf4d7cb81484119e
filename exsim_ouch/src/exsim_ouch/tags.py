"""What an OUCH endpoint keeps on each of its orders (``Order.tag``).

The venue never reads a tag; the OUCH account that sent the order does, to answer in
the client's terms (token or UserRefNum, the fields as entered), and the ITCH feed reads
:attr:`OrderTag.mpid` to publish attributable orders with their MPID.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OrderTag"]

_NO_NAMES: tuple[str, ...] = ()


class OrderTag:
    """Per-order OUCH state.

    :ivar key: the order's identity on the wire: the 14-byte token (4.2) or the
        UserRefNum (5.0).
    :ivar prev_key: the identity it replaced (Replaced messages), or None.
    :ivar fields: the entered values echoed in Accepted/Replaced, by name (built on
        first use from ``entered`` when the tag was made with :meth:`lazy`).
    :ivar entered: the entered values in the order of their names, as long as nobody
        asked for :attr:`fields` (then None): the order-entry hot path reads them here
        to answer with Accepted without building the dict.
    :ivar mpid: the 4-byte attribution an ITCH Add Order with MPID shows, or None for an
        anonymous order.
    :ivar pending: a change in flight whose answer is not a plain Canceled/Replaced:
        ``"modify"`` (answered by Order Modified).
    :ivar told: one-time answers already sent (``"P"`` Cancel Pending, ``"I"`` Cancel
        Reject).
    """

    __slots__ = ("_fields", "_names", "entered", "key", "mpid", "pending", "prev_key", "told")

    def __init__(
        self,
        key: Any,
        fields: dict[str, Any],
        mpid: bytes | None = None,
        prev_key: Any = None,
    ) -> None:
        self.key = key
        self._fields: dict[str, Any] | None = fields
        self._names = _NO_NAMES
        self.entered: tuple[Any, ...] | None = None
        self.mpid = mpid
        self.prev_key = prev_key
        self.pending: str | None = None
        self.told = ""

    @classmethod
    def lazy(
        cls, key: Any, names: tuple[str, ...], entered: tuple[Any, ...], mpid: bytes | None
    ) -> OrderTag:
        """A tag whose fields are ``dict(zip(names, entered))``, built when first read."""
        tag = cls.__new__(cls)
        tag.key = key
        tag._fields = None
        tag._names = names
        tag.entered = entered
        tag.mpid = mpid
        tag.prev_key = None
        tag.pending = None
        tag.told = ""
        return tag

    @property
    def fields(self) -> dict[str, Any]:
        fields = self._fields
        if fields is None:
            assert self.entered is not None
            fields = self._fields = dict(zip(self._names, self.entered, strict=True))
            self.entered = None
        return fields

    def successor(self, key: Any, changes: dict[str, Any]) -> OrderTag:
        """The tag of the replacement order: same fields but ``changes``."""
        return OrderTag(key, self.fields | changes, self.mpid, self.key)

    def __repr__(self) -> str:
        return f"<OrderTag {self.key!r} prev={self.prev_key!r} mpid={self.mpid!r}>"
