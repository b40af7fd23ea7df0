"""Routes for the roster's saved export column sets (the export itself is ``/cadres/?export=xlsx``)."""

from django.urls import path

from .views import roster_export

urlpatterns = [
    path("cadres/columns/save/", roster_export.column_set_save, name="roster-column-set-save"),
    path("cadres/columns/delete/", roster_export.column_set_delete, name="roster-column-set-delete"),
]
