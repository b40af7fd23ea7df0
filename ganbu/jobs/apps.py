"""Django app configuration for background jobs (imports run by ``ganbu worker``)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Import jobs: queued uploads, their preview, the user's confirmation, progress and outcome."""

    name = "ganbu.jobs"
    label = "jobs"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Load every app's ``job_kinds`` module, so that each kind is registered before a job runs."""
        from .kinds import autodiscover

        autodiscover()
