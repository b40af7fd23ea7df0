"""Routes of the 任免审批表 import and of every import job's generic pages (progress, preview, report)."""

from django.urls import path

from .views import jobs, lrmx_import

urlpatterns = [
    path("cadres/import/lrmx/", lrmx_import.lrmx_import, name="lrmx-import"),
    path("imports/", jobs.jobs_recent, name="jobs-recent"),
    path("imports/<int:job_id>/", jobs.job_detail, name="job-detail"),
    path("imports/<int:job_id>/progress/", jobs.job_progress, name="job-progress"),
    path("imports/<int:job_id>/confirm/", jobs.job_confirm, name="job-confirm"),
    path("imports/<int:job_id>/cancel/", jobs.job_cancel, name="job-cancel"),
    path("imports/<int:job_id>/retry/", jobs.job_retry, name="job-retry"),
    path("imports/<int:job_id>/report/", jobs.job_report, name="job-report"),
]
