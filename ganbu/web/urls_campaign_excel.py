"""Routes of a campaign's Excel pages: the score template and import with its progress, the exports."""

from django.urls import path

from .views import campaign_excel

urlpatterns = [
    path("campaigns/<int:pk>/scores/import/", campaign_excel.score_import, name="campaign-scores-import"),
    path(
        "campaigns/<int:pk>/scores/import/template.xlsx",
        campaign_excel.score_template,
        name="campaign-scores-template",
    ),
    path(
        "campaigns/<int:pk>/scores/import/progress/<str:key>/",
        campaign_excel.score_import_progress,
        name="campaign-scores-import-progress",
    ),
    path(
        "campaigns/<int:pk>/scores/import/<int:job_id>/",
        campaign_excel.score_import_job,
        name="campaign-scores-import-job",
    ),
    path(
        "campaigns/<int:pk>/scores/import/<int:job_id>/retry/",
        campaign_excel.score_import_retry,
        name="campaign-scores-import-retry",
    ),
    path(
        "campaigns/<int:pk>/export/applications.xlsx",
        campaign_excel.export_applications,
        name="campaign-export-applications",
    ),
    path(
        "campaigns/<int:pk>/export/ranking.xlsx",
        campaign_excel.export_ranking,
        name="campaign-export-ranking",
    ),
]
