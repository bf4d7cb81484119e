"""Operations: one model per thing a management client or a configuration file can ask
of a simulator, and one :func:`apply` that performs them.

The management API and the TOML configuration loader both turn their input into these
operations and call :func:`apply`; ``exsim config export`` walks the state back into
operations. See :mod:`exsim_core.ops.models` for the list.
"""

from __future__ import annotations

from .apply import apply
from .models import *  # noqa: F403 - the models are this package's public API
from .models import Operation, __all__ as _models

__all__ = ["Operation", "apply", *_models]
