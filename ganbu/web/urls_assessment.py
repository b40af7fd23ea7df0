"""Routes for 考核 (the ``assessment`` app)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
