"""``python -m lettergen``: the same command line as ``lettergen``."""

import sys

from .cli import main

sys.exit(main())
