"""The interop app's kinds of background job, registered at start-up (``ganbu.jobs.kinds.autodiscover``).

- ``cadres``: the Excel cadre import (``roster.jobs``).

Another kind of this app (the 任免审批表 import) is registered by importing its module here too.
"""

from .roster import jobs as roster_jobs

KINDS = [roster_jobs.KIND]
