"""Routes for the public notice pages (no login, /public/) and the staff objection desk (/objections/)."""

from django.urls import path

from .views import objections, public

urlpatterns = [
    path("public/", public.notice_list, name="public-notice-list"),
    path("public/notices/<int:pk>/", public.notice_detail, name="public-notice-detail"),
    path("public/notices/<int:pk>/objection/", public.objection_create, name="public-objection"),
    path("public/track/", public.track, name="public-track"),
    path("objections/", objections.objection_list, name="objection-list"),
    path("objections/<int:pk>/", objections.objection_detail, name="objection-detail"),
    path("objections/<int:pk>/resolve/", objections.objection_resolve, name="objection-resolve"),
]
