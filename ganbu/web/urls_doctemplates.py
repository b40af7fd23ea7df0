"""Routes for the templates page and the documents: a selection record's, and any kind's by its source."""

from django.urls import path

from .views import doctemplates

urlpatterns = [
    path("doc-templates/", doctemplates.template_list, name="doctemplate-list"),
    # Uploads come before the kind routes, which would otherwise take "uploads" for a kind.
    path("doc-templates/uploads/<int:pk>.docx", doctemplates.upload_file, name="doctemplate-upload-file"),
    path(
        "doc-templates/uploads/<int:pk>/activate/",
        doctemplates.template_activate,
        name="doctemplate-activate",
    ),
    path("doc-templates/<str:kind>/upload/", doctemplates.template_upload, name="doctemplate-upload"),
    path("doc-templates/<str:kind>/reset/", doctemplates.template_reset, name="doctemplate-reset"),
    path("doc-templates/<str:kind>/<str:which>.docx", doctemplates.template_file, name="doctemplate-file"),
    path(
        "selection/<int:record_id>/documents/<str:kind>.<str:fmt>",
        doctemplates.record_document,
        name="selection-document",
    ),
    # Every other kind, by the object it is made from: the minutes of joint meeting 7 are
    # filled/joint_meeting_minutes/7.docx.
    path("filled/<str:kind>/<int:source_id>.<str:fmt>", doctemplates.document, name="filled-document"),
]
