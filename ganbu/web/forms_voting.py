"""Forms of the voting pages: ballot set-up, items, credential issue and the voter's code.

Forms only parse; ``ganbu.voting.services`` checks everything that depends on the ballot (its kind,
status and scope) and its ``ServiceError`` messages are put back with ``add_service_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from ganbu.registry.models import Unit
from ganbu.voting.choices import BallotKind, Channel

from .forms_common import StyledForm


class BallotForm(StyledForm):
    """A new ballot: kind, title, unit (from the user's scope), channel and counting settings."""

    kind = forms.ChoiceField(label="投票类型", choices=BallotKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    channel = forms.ChoiceField(label="投票方式", choices=Channel.choices, initial=Channel.ELECTRONIC)
    max_choices = forms.IntegerField(label="每票可推荐人数", min_value=1, max_value=99, initial=1)
    threshold = forms.CharField(
        label="不称职票比例阈值",
        max_length=20,
        initial="3/10",
        help_text="民主测评中不称职票超过此比例即提示，可写作 3/10 或 0.3。",
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Why a queryset from the caller: the unit list is the user's scope, decided by a selector.
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units


class ItemForm(StyledForm):
    """One ballot item: a cadre (evaluation) or a post with its reference list (recommendation)."""

    label = forms.CharField(label="事项名称", max_length=200, required=False)
    cadre = forms.IntegerField(label="被测评干部", required=False, min_value=1)
    reference = forms.CharField(
        label="参考人选",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一人；人数须多于职位数（差额）。",
    )
    posts = forms.IntegerField(label="职位数", min_value=1, max_value=99, initial=1)

    def reference_list(self) -> list[str]:
        """The reference names, one per non-empty line."""
        return [line.strip() for line in self.cleaned_data.get("reference", "").splitlines() if line.strip()]


class CredentialIssueForm(StyledForm):
    """How many one-time codes to print for one voter category (领导班子成员, 一般干部 ...)."""

    category = forms.CharField(label="投票人类别", max_length=50)
    count = forms.IntegerField(label="数量", min_value=1, max_value=500, initial=10)


class BallotNumberForm(forms.Form):
    """The ballot number a voter types on ``/vote/`` (it is printed on every slip)."""

    ballot = forms.IntegerField(label="投票编号", min_value=1)
