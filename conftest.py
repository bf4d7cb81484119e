"""Workspace-wide pytest set-up.

In importlib import mode pytest names a test folder ``exsim_x/tests`` ``exsim_x.tests``
and, when the package ``exsim_x`` is not imported yet, makes up a stand-in module for it
from the distribution's folder, which hides the installed package from every test. So
the workspace's distributions (folders ``NAME/src/NAME``) are imported first, here.
"""

from __future__ import annotations

import importlib
from pathlib import Path

for _folder in sorted(Path(__file__).parent.iterdir()):
    if (_folder / "src" / _folder.name / "__init__.py").is_file():
        importlib.import_module(_folder.name)
