"""Routes for 联席会议 (the ``joint_meetings`` app)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
