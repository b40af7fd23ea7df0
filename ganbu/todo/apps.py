"""The to-do list and reminders (待办事项与提醒)."""

from django.apps import AppConfig


class TodoConfig(AppConfig):
    """The ``todo`` app: to-do items read from the other apps' data, and each user's notifications."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ganbu.todo"
    verbose_name = "待办事项与提醒"
