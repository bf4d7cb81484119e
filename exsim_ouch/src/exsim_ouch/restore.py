"""An OUCH login's state rebuilt from its own log, after a restart on the same store.

The venue's orders come back from the daemon's journal with their ``cl_ord_id`` and
``session`` but without their OUCH tag (:class:`~exsim_ouch.tags.OrderTag`): a journal
records commands, not what a protocol keeps on the side. Everything a tag holds was
sent to the client, so it is all in the login's log: Accepted and Replaced carry every
field as entered (and the order reference number, which names the venue's order in
Accepted), Order Modified the new side, Cancel Pending and Cancel Reject the one-time
answers. Reading the log in order gives, for each order, the tag of its current
incarnation, keyed by the venue's order id; the account then gives each of its live
orders its tag back, so a restarted daemon answers cancels, replaces and fills in the
client's terms as before.

The same pass recovers what makes a resent message harmless: the tokens and UserRefNums
in use (a resent Enter Order is still a duplicate), each UserRefIdx channel's last
UserRefNum, and whether order entry was disabled (OUCH 5.0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import appendage as ap
from . import ouch42 as m42
from . import ouch50 as m50
from .errors import DecodeError
from .tags import OrderTag

if TYPE_CHECKING:
    from .entry42 import Account42
    from .entry50 import Account50

__all__ = ["Tags", "recover42", "recover50"]

#: the tag of each order's current incarnation, by the venue's order id
Tags = dict[int, OrderTag]

_ATTRIBUTABLE_42 = frozenset({b"A", b"L"})
_ALL_TAGS = frozenset(ap.SIZES)
#: where the options start in OUCH 5.0 answers whose appendage is optional
_TAIL_AT = {b"M": 20, b"P": 15, b"I": 15}
#: where the options start in OUCH 5.0 responses to requests that carry a UserRefNum
_RESPONSE_OPTIONS_AT = {b"X": 27, b"G": 19, b"K": 19}


def _current(tags: Tags, keys: dict[object, int], key: object) -> OrderTag | None:
    """The tag whose current identity is ``key``, if any."""
    tag = tags.get(keys.get(key, 0))
    return tag if tag is not None and tag.key == key else None


# ---------------------------------------------------------------------- OUCH 4.2
def recover42(account: Account42, message: bytes, tags: Tags) -> None:
    """Learn from one OUCH 4.2 message of ``account``'s log (in log order)."""
    kind = message[:1]
    keys = account.keys
    if kind == b"A" and len(message) == m42._ACCEPTED.size:
        f = m42._ACCEPTED.unpack(message)
        token, oid = f[2], f[10]
        keys[token] = oid
        fields = _fields42(f[3:10], f[11:15])
        tags[oid] = OrderTag(token, fields, fields["firm"] if f[9] in _ATTRIBUTABLE_42 else None)
    elif kind == b"U" and len(message) == m42._REPLACED.size:
        f = m42._REPLACED.unpack(message)
        token, previous = f[2], f[16]
        oid = keys[token] = keys.get(previous, 0)
        fields = _fields42(f[3:10], f[11:15])
        mpid = fields["firm"] if f[9] in _ATTRIBUTABLE_42 else None
        tags[oid] = OrderTag(token, fields, mpid, previous)
    elif kind == b"J" and len(message) == m42._REJECTED.size:
        keys.setdefault(message[9:23], 0)
    elif kind == b"M" and len(message) == m42._MODIFIED.size:
        tag = _current(tags, keys, message[9:23])
        if tag is not None:
            tag.fields["side"] = message[23:24]
    elif (kind == b"P" or kind == b"I") and len(message) == m42._TOKEN_ONLY.size:
        tag = _current(tags, keys, message[9:23])
        if tag is not None and kind.decode() not in tag.told:
            tag.told += kind.decode()


def _fields42(head: tuple[Any, ...], tail: tuple[Any, ...]) -> dict[str, Any]:
    side, shares, stock, price, tif, firm, display = head
    capacity, iso, min_qty, cross = tail
    return {
        "side": side, "shares": shares, "stock": stock, "price": price, "tif": tif,
        "firm": firm, "display": display, "capacity": capacity, "iso": iso,
        "min_qty": min_qty, "cross": cross,
    }  # fmt: skip


# ---------------------------------------------------------------------- OUCH 5.0
def recover50(account: Account50, message: bytes, tags: Tags) -> None:
    """Learn from one OUCH 5.0 message of ``account``'s log (in log order)."""
    kind = message[:1]
    keys = account.keys
    if kind == b"A" and len(message) >= m50._ACCEPTED.size:
        f = m50._ACCEPTED.unpack_from(message)
        options = _options(message[m50._ACCEPTED.size :])
        key = (_idx(options), f[2])
        oid = keys[key] = f[9]
        _seen(account, key)
        tags[oid] = _tag50(account, key, f, options, message[m50._ACCEPTED.size :])
    elif kind == b"U" and len(message) >= m50._REPLACED.size:
        f = m50._REPLACED.unpack_from(message)
        raw = message[m50._REPLACED.size :]
        idx = _idx(_options(raw))
        key = (idx, f[3])
        oid = keys[key] = keys.get((idx, f[2]), 0)
        _seen(account, key)
        old = tags.get(oid)
        if old is not None:
            changes = {
                "side": f[4], "quantity": f[5], "price": f[7], "tif": f[8], "display": f[9],
                "iso": f[12], "clordid": f[15], "options": raw,
            }  # fmt: skip
            new = old.successor(key, changes)
            new.mpid = old.fields["firm"] if f[9] == b"A" else None
            tags[oid] = new
    elif kind == b"J" and len(message) >= m50._REJECTED.size:
        key = (_idx(_options(message[m50._REJECTED.size + 2 :])), _urn(message))
        keys.setdefault(key, 0)
        _seen(account, key)
    elif kind in _TAIL_AT and len(message) >= _TAIL_AT[kind] - 2:
        key = (_idx(_options(message[_TAIL_AT[kind] :])), _urn(message))
        tag = _current(tags, keys, key)
        if tag is None:
            return
        if kind == b"M":
            tag.fields["side"] = message[13:14]
        elif kind.decode() not in tag.told:
            tag.told += kind.decode()
    elif kind in _RESPONSE_OPTIONS_AT and len(message) >= _RESPONSE_OPTIONS_AT[kind]:
        _seen(account, (_idx(_options(message[_RESPONSE_OPTIONS_AT[kind] :])), _urn(message)))
        if kind != b"X":
            account.disabled = kind == b"G"


def _tag50(
    account: Account50,
    key: tuple[int, int],
    f: tuple[Any, ...],
    options: dict[int, bytes],
    raw: bytes,
) -> OrderTag:
    """The tag of an order from its Accepted message (see ``OrderBuilder50.order``)."""
    firm = options.get(ap.FIRM, account.firm)
    fields = {
        "side": f[3], "quantity": f[4], "symbol": f[5], "price": f[6], "tif": f[7],
        "display": f[8], "capacity": f[10], "iso": f[11], "cross": f[12], "clordid": f[14],
        "options": raw, "echo": ap.idx_echo(key[0]), "firm": firm,
        "group": options.get(ap.GROUP_ID), "price_type": options.get(ap.PRICE_TYPE, b"L"),
        "post_only": options.get(ap.POST_ONLY, b"N"),
    }  # fmt: skip
    return OrderTag(key, fields, firm if f[8] == b"A" else None)


def _urn(message: bytes) -> int:
    return int.from_bytes(message[9:13], "big")


def _options(raw: bytes) -> dict[int, bytes]:
    try:
        return ap.decode(raw, _ALL_TAGS)
    except DecodeError:
        return {}


def _idx(options: dict[int, bytes]) -> int:
    raw = options.get(ap.USER_REF_IDX)
    return raw[0] if raw else 0


def _seen(account: Account50, key: tuple[int, int]) -> None:
    idx, urn = key
    if urn > account.last_urn.get(idx, 0):
        account.last_urn[idx] = urn
