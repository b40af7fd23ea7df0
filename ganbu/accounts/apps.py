from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their roles and data scope, API tokens."""

    name = "ganbu.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        """Connect the login signal that notes the user's second factor in the session."""
        from . import signals  # noqa: F401
