"""``python -m ganbu.bench``: see :mod:`ganbu.bench`."""

import sys

from ganbu.bench.run import main

sys.exit(main())
