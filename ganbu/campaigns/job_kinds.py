"""The campaign's kinds of background job: the Excel score import (``excel.SCORES``, kind ``scores``).

Imported by ``ganbu.jobs.kinds.autodiscover`` on the first look-up of a kind, so that the worker knows it.
"""

from . import excel

KINDS = [excel.SCORES]
