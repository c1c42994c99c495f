"""``python -m beatpost``: the same as the ``beatpost`` command."""

import sys

from beatpost.cli import main

sys.exit(main())
