"""The kinds of job this app defines: the Excel import of a class's leave (``attendance_import.KIND``).

Imported by ``ganbu.jobs.kinds.autodiscover`` on the first look-up of a kind.
"""

from . import attendance_import

KINDS = [attendance_import.KIND]
