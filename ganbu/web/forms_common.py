"""Pieces every web form shares: Bootstrap styling, service errors on the form, the date widget.

Forms only parse and validate input; the services write. A ``ServiceError`` raised by a service
is put back onto the form with :func:`add_service_error`, so it shows next to the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ganbu.rules.citations import plain

MSG_CADRE_NOT_VISIBLE = "干部不存在或不在您的管理范围内。"

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's Chinese error messages on the form: on the field they name, else on top.

    A message citing its rule is shown in the officer's words (``ganbu.rules.citations.plain``):
    the regulation and article stay, rule IDs and confidence codes go (the API keeps them).
    """
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, [plain(m) for m in messages])
    else:
        form.add_error(None, [plain(m) for m in exc.messages])


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, so templates render fields without filters.

    ``compact`` forms (filter bars, table rows) get the small variants. Invalid fields are marked
    ``is-invalid`` and ``aria-invalid`` for Bootstrap and screen readers.
    """

    compact = False
    error_css_class = "has-error"
    required_css_class = "is-required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        """Add the Bootstrap class matching each visible widget (again after widgets are swapped)."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css in widget.attrs.get("class", "").split():
                continue
            if self.compact and css != "form-check-input":
                css = f"{css} {css}-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        """Validate, then mark the invalid widgets."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
