"""The background worker moved to ``ganbu.jobs.worker`` (issue 12); its names stay importable from here."""

from ganbu.jobs.worker import Heartbeat, heartbeat, run_forever, run_one, run_pending

__all__ = ["Heartbeat", "heartbeat", "run_forever", "run_one", "run_pending"]
