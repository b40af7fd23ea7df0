"""Routes for downloading 任免审批表 files (.lrmx / .lrm): one cadre's, or a roster's as a .zip."""

from django.urls import path

from .views import lrmx_export

urlpatterns = [
    path("cadres/<int:pk>/lrmx/", lrmx_export.cadre_lrmx, name="cadre-lrmx"),
    path("cadres/lrmx/", lrmx_export.lrmx_export_batch, name="lrmx-export-batch"),
]
