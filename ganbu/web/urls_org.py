"""Routes for units, posts and quotas, appointment documents, corrections and the audit trail."""

from django.urls import path

from .views import errors

urlpatterns = [
    path("units/", errors.not_found, name="unit-list"),
    path("documents/", errors.not_found, name="document-list"),
    path("corrections/", errors.not_found, name="correction-list"),
    path("audit/", errors.not_found, name="audit-list"),
]
