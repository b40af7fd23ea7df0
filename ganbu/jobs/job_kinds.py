"""The kinds of job this app defines itself: the 任免审批表 import (``lrmx.LRMX``).

Imported by ``kinds.autodiscover`` at start-up, like every app's ``job_kinds``.
"""

from . import lrmx

KINDS = [lrmx.LRMX]
