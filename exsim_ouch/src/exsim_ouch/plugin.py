"""exsim-ouch's plugin: registers its protocols through the ``exsim`` entry point."""

from __future__ import annotations

from exsim_core import Registrar, hookimpl

from .orderentry import Ouch42Endpoint, Ouch50Endpoint


@hookimpl
def exsim_register_protocols(registry: Registrar) -> None:
    for protocol in (Ouch42Endpoint, Ouch50Endpoint):
        registry.add(protocol)
