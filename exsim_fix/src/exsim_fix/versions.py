"""What differs between FIX.4.0, 4.1, 4.2, 4.3, 4.4 and FIXT.1.1 (FIX 5.0 SP2).

One :class:`FixVersion` per BeginString holds every version-dependent fact the session
and application layers consult, so the rest of the code asks ``version.has_username``
instead of comparing version strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["APPL_VER_IDS", "VERSIONS", "FixVersion", "version_of"]

_ADMIN = frozenset("012345A")
_V40 = _ADMIN | frozenset("6789BCDEFGHJKLMNPQRS")
_V41 = _V40 | {"T"}
_V42 = _V41 | frozenset("VWXYZabcdefghijklm")
_V43 = (
    _V42
    | frozenset("nopqrstuvwxyz")
    | {
        "AA",
        "AB",
        "AC",
        "AD",
        "AE",
        "AF",
        "AG",
        "AH",
        "AI",
    }
)
_V44 = _V43 | {
    "AJ",
    "AK",
    "AL",
    "AM",
    "AN",
    "AO",
    "AP",
    "AQ",
    "AR",
    "AS",
    "AT",
    "AU",
    "AV",
    "AW",
    "AX",
    "AY",
    "AZ",
    "BA",
    "BB",
    "BC",
    "BD",
    "BE",
    "BF",
    "BG",
    "BH",
}
# FIX 5.0 SP2 and its extension packs keep adding two-letter types: any pair of upper-case
# letters or digits starting B..E counts as defined (then unsupported, not invalid)
_V50 = _V44 | {a + b for a in "BCDE" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}

#: DefaultApplVerID(1137) / ApplVerID(1128) values
APPL_VER_IDS = {
    "2": "FIX.4.0",
    "3": "FIX.4.1",
    "4": "FIX.4.2",
    "5": "FIX.4.3",
    "6": "FIX.4.4",
    "7": "FIX.5.0",
    "8": "FIX.5.0SP1",
    "9": "FIX.5.0SP2",
}


@dataclass(frozen=True)
class FixVersion:
    """The facts of one BeginString.

    :ivar begin_string: the BeginString(8) value.
    :ivar rank: 40, 41, 42, 43, 44 or 50 (FIXT.1.1 with FIX 5.0 SP2).
    :ivar msg_types: every MsgType the version defines.
    :ivar max_tag: the highest standard tag number.
    :ivar max_reject_reason: the highest SessionRejectReason(373) the version has.
    """

    begin_string: str
    rank: int
    msg_types: frozenset[str]
    max_tag: int
    max_reject_reason: int
    resend_infinity: tuple[int, ...] = (0,)
    bytes: bytes = field(default=b"", compare=False)

    @property
    def has_session_reject_fields(self) -> bool:
        """RefTagID(371), RefMsgType(372) and SessionRejectReason(373) (4.2+)."""
        return self.rank >= 42

    @property
    def has_business_reject(self) -> bool:
        """BusinessMessageReject(j) (4.2+); earlier versions use a session Reject."""
        return self.rank >= 42

    @property
    def has_exec_type(self) -> bool:
        """ExecType(150) and LeavesQty(151) (4.1+)."""
        return self.rank >= 41

    @property
    def has_exec_trans_type(self) -> bool:
        """ExecTransType(20) (up to 4.3)."""
        return self.rank <= 43

    @property
    def trade_exec_type(self) -> bool:
        """Fills reported with ExecType F (Trade) rather than 1/2 (4.3+)."""
        return self.rank >= 43

    @property
    def has_username(self) -> bool:
        """Username(553) and Password(554) on Logon (4.3+)."""
        return self.rank >= 43

    @property
    def has_next_expected(self) -> bool:
        """NextExpectedMsgSeqNum(789) on Logon (4.4, FIXT)."""
        return self.rank >= 44

    @property
    def has_copy_indicator(self) -> bool:
        """CopyMsgIndicator(797) (4.4+)."""
        return self.rank >= 44

    @property
    def has_mass_cancel(self) -> bool:
        """OrderMassCancelRequest(q) and its report (4.3+)."""
        return self.rank >= 43

    @property
    def has_market_data(self) -> bool:
        """MarketDataRequest(V) and its answers (4.2+)."""
        return self.rank >= 42

    @property
    def has_security_list(self) -> bool:
        """SecurityListRequest(x) / SecurityList(y) (4.3+)."""
        return self.rank >= 43

    @property
    def is_fixt(self) -> bool:
        return self.rank >= 50


def _v(
    begin: str,
    rank: int,
    types: frozenset[str],
    max_tag: int,
    max_reason: int,
    *infinity: int,
) -> FixVersion:
    return FixVersion(begin, rank, types, max_tag, max_reason, infinity or (0,), begin.encode())


VERSIONS: dict[str, FixVersion] = {
    v.begin_string: v
    for v in (
        _v("FIX.4.0", 40, _V40, 140, 0, 0, 999999),
        _v("FIX.4.1", 41, _V41, 211, 0, 0, 999999),
        _v("FIX.4.2", 42, _V42, 446, 11, 0, 999999),
        _v("FIX.4.3", 43, _V43, 659, 17),
        _v("FIX.4.4", 44, _V44, 956, 99),
        _v("FIXT.1.1", 50, _V50, 4999, 99),
    )
}


def version_of(begin_string: str) -> FixVersion:
    """The version of a BeginString (ValueError for one exsim does not speak)."""
    try:
        return VERSIONS[begin_string]
    except KeyError:
        raise ValueError(
            f"unknown FIX BeginString {begin_string!r}; known: {', '.join(VERSIONS)}"
        ) from None
