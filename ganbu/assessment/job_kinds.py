"""The kinds of job this app defines: the Excel import of a round's grades (``grades_import.KIND``).

Imported by ``ganbu.jobs.kinds.autodiscover`` on the first look-up of a kind.
"""

from . import grades_import

KINDS = [grades_import.KIND]
