"""Django app configuration for background jobs (imports run by ``ganbu worker``)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Import jobs: queued uploads, their preview, the user's confirmation, progress and outcome."""

    name = "ganbu.jobs"
    label = "jobs"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"
    # Each app's ``job_kinds`` module is imported on the first look-up of a kind (``kinds.autodiscover``),
    # not here: a command that never touches a job should not load openpyxl and the file readers.
