"""The kinds of job this app defines itself: the 任免审批表 import (``lrmx.LRMX``).

Imported by ``kinds.autodiscover`` on the first look-up of a kind, like every app's ``job_kinds``.
"""

from . import lrmx

KINDS = [lrmx.LRMX]
