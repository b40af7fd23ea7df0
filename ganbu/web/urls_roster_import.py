"""Routes of the Excel cadre import (干部信息导入): the upload page and the templates (the job's pages are
the generic ones, ``web:job-detail``)."""

from django.urls import path

from .views import roster_import

urlpatterns = [
    path("cadres/import/", roster_import.roster_import, name="roster-import"),
    path("cadres/import/template/", roster_import.roster_import_template, name="roster-import-template"),
]
