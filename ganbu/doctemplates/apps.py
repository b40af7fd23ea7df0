"""Editable Word templates for the documents of the appointment procedure."""

from django.apps import AppConfig


class DocTemplatesConfig(AppConfig):
    """The ``doctemplates`` app: the department's own .docx templates, one active per kind of document."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.doctemplates"
    verbose_name = "文书模板"
