"""The first module the campaign reader's server process imports: it takes the working
directory off the import path.

That process is started with ``python -c``, which puts the working directory first on
``sys.path``. In a workspace the working directory holds ``campaigns/`` (the department's
campaign files), which Python would then import in place of beatpost's ``campaigns``
package when beatpost is installed in development mode (``make demo``), and every read
of the campaign files would fail. Python 3.11's forkserver ignores the parent's path.
"""

from __future__ import annotations

import os
import sys

_HERE = {"", ".", os.getcwd()}
sys.path[:] = [entry for entry in sys.path if entry not in _HERE]
