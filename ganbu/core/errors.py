"""Domain errors that views and the API turn into Chinese messages (never stack traces)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A service refused a change; ``message_dict`` or ``messages`` say why, in Chinese.

    Subclasses Django's ``ValidationError`` so forms can show it next to the fields it names.
    """
