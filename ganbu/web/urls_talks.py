"""Routes for 谈话 (the ``talks`` app)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
