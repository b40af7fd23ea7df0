"""Admin registrations for the audit trail (read-only)."""

from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, newest first."""

    list_display = ("seq", "event_time", "actor_name", "event_type", "target_repr")
    list_filter = ("event_type",)
    search_fields = ("target_repr", "actor_name", "reason")
