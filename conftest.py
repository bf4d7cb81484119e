"""Workspace-wide pytest set-up.

Under ``--import-mode=importlib`` pytest names a test module after its path from the root
(``exsim_core/tests/test_x.py`` becomes ``exsim_core.tests.test_x``) and imports missing
parents from their folders. The folder ``exsim_core/`` (the distribution) would then be
imported as a namespace package ``exsim_core`` and hide the installed package (its code is
in ``exsim_core/src/exsim_core``). Importing the real package here, before any test module,
puts it in ``sys.modules`` first.
"""

import exsim_core  # noqa: F401
