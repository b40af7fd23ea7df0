"""Admin registrations for the registry (read-only: changes go through services)."""

from django.contrib import admin

from ganbu.core.admin_base import ReadOnlyAdmin

from .models import AppointmentDocument, Cadre, Post, Tenure, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    """Units in tree order."""

    list_display = ("name", "kind", "level", "parent")
    search_fields = ("name",)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """Posts."""

    list_display = ("title", "unit", "kind", "rank", "is_leadership")
    list_select_related = ("unit",)


@admin.register(Cadre)
class CadreAdmin(ReadOnlyAdmin):
    """Cadres (without identity numbers in the list)."""

    list_display = ("name", "gender", "birth_date", "unit", "rank", "status")
    list_select_related = ("unit",)
    search_fields = ("name", "name_initials")
    exclude = ("id_number",)


@admin.register(AppointmentDocument)
class AppointmentDocumentAdmin(ReadOnlyAdmin):
    """Appointment/removal documents."""

    list_display = ("number", "title", "issued_on", "issuing_body")


@admin.register(Tenure)
class TenureAdmin(ReadOnlyAdmin):
    """Tenures."""

    list_display = ("cadre", "post", "start_date", "end_date")
    list_select_related = ("cadre", "post__unit")
