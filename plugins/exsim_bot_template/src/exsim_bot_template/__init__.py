"""exsim-bot-template: a copy-me distribution for an in-house exsim bot.

It registers one bot kind, ``template_quoter`` (:class:`QuoterBot`), through the
``exsim`` entry-point group. Copy the folder, rename the distribution, the package and
the kind, and write your bot in place of the quoter; ``docs/howto/bot-plugin.md`` walks
through it.

Errors: this package raises no exceptions of its own; bad parameters fail when the bot
is created or reconfigured, with :class:`pydantic.ValidationError`.
"""

from __future__ import annotations

from .quoter import QuoterBot, QuoterParams

__all__ = ["QuoterBot", "QuoterParams"]
