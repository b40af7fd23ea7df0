"""Routes for 经济责任审计 (the ``economic_audits`` app)."""

from django.urls import URLPattern, path

from .views import economic_audits

urlpatterns: list[URLPattern] = [
    path("economic-audits/", economic_audits.audit_list, name="economic-audit-list"),
    path("economic-audits/triggers/", economic_audits.trigger_list, name="economic-audit-triggers"),
    path("economic-audits/new/", economic_audits.audit_create, name="economic-audit-create"),
    path("economic-audits/<int:pk>/", economic_audits.audit_detail, name="economic-audit-detail"),
]
