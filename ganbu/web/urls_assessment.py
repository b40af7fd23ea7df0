"""Routes for 考核 (the ``assessment`` app): rounds, entries, the close, consequences, the import."""

from django.urls import URLPattern, path

from .views import assessment

urlpatterns: list[URLPattern] = [
    path("assessment/", assessment.round_list, name="assessment-home"),
    path("assessment/new/", assessment.round_create, name="assessment-create"),
    path("assessment/<int:pk>/", assessment.round_detail, name="assessment-detail"),
    path("assessment/<int:pk>/entries/<int:entry_pk>/", assessment.entry_edit, name="assessment-entry"),
    path("assessment/<int:pk>/close/", assessment.round_close, name="assessment-close"),
    path("assessment/<int:pk>/import/", assessment.round_import, name="assessment-import"),
    path("assessment/consequences/", assessment.consequence_list, name="assessment-consequences"),
    path("assessment/consequences/<int:pk>/", assessment.consequence_detail, name="assessment-consequence"),
]
