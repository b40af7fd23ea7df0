"""The campaign's kinds of background job: the Excel score import (``excel.SCORES``, kind ``scores``).

Imported by ``ganbu.jobs.kinds.autodiscover`` at start-up so that the worker knows the kind.
"""

from . import excel

KINDS = [excel.SCORES]
