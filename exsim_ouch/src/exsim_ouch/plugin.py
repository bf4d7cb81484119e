"""exsim-ouch's plugin: registers its protocols through the ``exsim`` entry point."""

from __future__ import annotations

from exsim_core import Registrar, hookimpl

from .marketdata import Itch50Endpoint
from .moldfeed import Itch50MoldEndpoint
from .orderentry import Ouch42Endpoint, Ouch50Endpoint


@hookimpl
def exsim_register_protocols(registry: Registrar) -> None:
    for protocol in (Ouch42Endpoint, Ouch50Endpoint, Itch50Endpoint, Itch50MoldEndpoint):
        registry.add(protocol)
