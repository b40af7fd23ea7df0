"""Routes for 经济责任审计 (the ``economic_audits`` app)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
