"""Routes for 信访举报 (the ``petitions`` app)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
