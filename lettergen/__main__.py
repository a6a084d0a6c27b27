"""``python -m lettergen``: the same command line as ``lettergen``."""

import sys

from lettergen.cli import main

sys.exit(main())
