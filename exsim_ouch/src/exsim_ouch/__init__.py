"""exsim-ouch: Nasdaq-style binary protocols for exsim.

OUCH 4.2 and 5.0 order entry over SoupBinTCP, and an ITCH 5.0 market-data feed over
SoupBinTCP and MoldUDP64. Installing the distribution registers the protocols through the
``exsim`` entry-point group; endpoints name them ``ouch42``, ``ouch50``, ``itch50`` and
``itch50_mold``.
"""

from __future__ import annotations

from .errors import DecodeError, FramingError, OuchError
from .itchfeed import ItchFeed
from .marketdata import Itch50Endpoint
from .moldfeed import Itch50MoldEndpoint, MoldParams
from .orderentry import Ouch42Endpoint, Ouch50Endpoint, OuchEndpoint, OuchSessionParams
from .soupconnection import SoupConnection
from .soupserver import SoupEndpoint, SoupParams

__all__ = [
    "DecodeError",
    "FramingError",
    "Itch50Endpoint",
    "Itch50MoldEndpoint",
    "ItchFeed",
    "MoldParams",
    "Ouch42Endpoint",
    "Ouch50Endpoint",
    "OuchEndpoint",
    "OuchError",
    "OuchSessionParams",
    "SoupConnection",
    "SoupEndpoint",
    "SoupParams",
]
