"""A venue: its instruments and their books, its rules, and the flow of commands.

Commands enter through :meth:`Venue.submit`, :meth:`Venue.cancel`,
:meth:`Venue.replace` and :meth:`Venue.mass_cancel` (and timers, for expiry). Each one
is validated against the venue's and the instrument's rules, handed to the book's engine,
and the events it produced are delivered as one batch, stamped with one clock reading, to

1. the session that owns each order event (see :meth:`Venue.attach_session`; a trade
   bust or correction goes to the owner of each side, once per session), then
2. every venue listener (see :meth:`Venue.subscribe`): market data, drop copy, the
   management event queue, the journal, observer hooks.

Commands issued *while* a batch is being delivered (a bot answering a fill, a behaviour
reacting to an ack) are queued and run, in order, right after it, so every listener
sees batches in the same order as the commands that caused them.

Modules: :mod:`.venue` (the class, its rules and commands), :mod:`.settings` (the rules
as a model), :mod:`.delivery` (running commands, delivering batches), :mod:`.calendar`
(expiry and end of day).
"""

from __future__ import annotations

from .delivery import Batch, Listener, SessionHandler
from .settings import DEFAULT_TIFS, VenueSettings
from .venue import Venue

__all__ = ["DEFAULT_TIFS", "Batch", "Listener", "SessionHandler", "Venue", "VenueSettings"]
