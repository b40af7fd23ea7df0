from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their roles and data scope, API tokens."""

    name = "ganbu.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
