"""Forms of the 考核 pages: a round, an entry, the close, a consequence handled, the ballot attached.

Forms only parse: units, cadres and ballots are looked up through scoped selectors (an id outside
the user's scope is a field error, never a 500); the rules — the 优秀 quota, sanctions, the
registry's grades — are checked by ``ganbu.assessment.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.assessment import services
from ganbu.assessment.models import BLOCKER_CHOICES, GRADE_CHOICES, RoundKind, RoundSubject, TeamGrade
from ganbu.core.access import units_for
from ganbu.exits.models import ExitRecord
from ganbu.registry import selectors
from ganbu.registry.models import Cadre, Unit
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import Ballot

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm
from .forms_exits import cadre_label

MSG_UNIT_NOT_VISIBLE = "单位不存在或不在您的管理范围内。"
MSG_BALLOT_NOT_VISIBLE = "民主测评不存在或不在您的管理范围内。"
MSG_EXIT_NOT_VISIBLE = "退出记录不存在或不在您的管理范围内。"
MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"


def _in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


class RoundForm(StyledForm):
    """A new round: unit, year, way, subject, day, title (optional: the system names it)."""

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="考核年度", min_value=1950, max_value=2100)
    kind = forms.ChoiceField(label="考核方式", choices=RoundKind.choices)
    subject = forms.ChoiceField(label="考核对象", choices=RoundSubject.choices)
    held_on = forms.DateField(label="考核日期", widget=DATE_WIDGET)
    title = forms.CharField(
        label="名称", max_length=200, required=False, help_text="不填则按单位、年度和方式命名。"
    )
    note = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units_for(user).order_by("path")
        field.error_messages["invalid_choice"] = MSG_UNIT_NOT_VISIBLE

    def clean_held_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("held_on"))


class EntryForm(StyledForm):
    """One entry: the parts 德能勤绩廉, 实绩, the grades, a dismissal blocker, 评语."""

    morality = forms.IntegerField(label="德", min_value=0, max_value=100, required=False)
    ability = forms.IntegerField(label="能", min_value=0, max_value=100, required=False)
    diligence = forms.IntegerField(label="勤", min_value=0, max_value=100, required=False)
    performance = forms.IntegerField(label="绩", min_value=0, max_value=100, required=False)
    integrity = forms.IntegerField(label="廉", min_value=0, max_value=100, required=False)
    achievement_score = forms.DecimalField(
        label="实绩（定量）", min_value=0, max_value=100, max_digits=5, decimal_places=1, required=False
    )
    achievement_text = forms.CharField(
        label="实绩（定性）", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposed_grade = forms.ChoiceField(label="建议等次", choices=[("", "—"), *GRADE_CHOICES], required=False)
    final_grade = forms.ChoiceField(label="确定等次", choices=[("", "—"), *GRADE_CHOICES], required=False)
    blocker_kind = forms.ChoiceField(
        label="不得辞退情形（公务员法第八十九条）", choices=[("", "无"), *BLOCKER_CHOICES], required=False
    )
    blocker_start = forms.DateField(label="情形起始日期", widget=DATE_WIDGET, required=False)
    blocker_until = forms.DateField(label="情形截止日期", widget=DATE_WIDGET, required=False)
    blocker_basis = forms.CharField(label="情形依据", max_length=200, required=False)
    note = forms.CharField(
        label="评语", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_blocker_start(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("blocker_start"))

    def clean_blocker_until(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("blocker_until"))

    def entry_input(self) -> services.EntryInput:
        """The cleaned data as the service takes it."""
        return services.EntryInput(**self.cleaned_data)


def entry_initial(entry: Any) -> dict[str, Any]:
    """An entry's stored values as the form's initial data."""
    return {name: getattr(entry, name) for name in EntryForm.base_fields}


class AddCadreForm(StyledForm):
    """Add one cadre of the unit to an open round (picker)."""

    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cadre"].widget.attrs.update(
            {
                "data-picker": "cadres",
                "data-picker-url": reverse("web:picker-cadres"),
                "placeholder": "输入姓名或拼音首字母选择",
            }
        )

    def clean_cadre(self) -> Cadre:
        pk = self.cleaned_data["cadre"]
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=pk)
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre


class BallotAttachForm(StyledForm):
    """Attach an existing 民主测评 of the round's unit."""

    ballot = forms.ModelChoiceField(label="已有的民主测评", queryset=Ballot.objects.none())

    def __init__(self, *args: Any, user: User, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ballot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Ballot.objects.filter(
            kind=BallotKind.EVALUATION, unit__in=units_for(user), unit__path__startswith=unit.path
        ).order_by("-created_at", "-id")
        field.error_messages["invalid_choice"] = MSG_BALLOT_NOT_VISIBLE


class CloseForm(StyledForm):
    """Fix the grades: the day, the approval above the general 优秀 share, the team's grade."""

    closed_on = forms.DateField(label="确定等次日期", widget=DATE_WIDGET)
    higher_ceiling_approved = forms.BooleanField(label="经批准提高优秀比例", required=False)
    approval_note = forms.CharField(
        label="批准依据", max_length=300, required=False, help_text="批准机关和文号。"
    )
    team_grade = forms.ChoiceField(
        label="领导班子等次",
        choices=[("", "—"), *TeamGrade.choices],
        required=False,
        help_text="仅领导班子考核填写。",
    )

    def clean_closed_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("closed_on"))

    def close_input(self) -> services.CloseInput:
        """The cleaned data as the service takes it."""
        return services.CloseInput(**self.cleaned_data)


class HandleForm(StyledForm):
    """How a consequence was handled; the exit that carried it out (optional, by its number)."""

    handled_on = forms.DateField(label="办理日期", widget=DATE_WIDGET)
    note = forms.CharField(label="办理情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    exit_record = forms.ModelChoiceField(label="退出记录", queryset=ExitRecord.objects.none(), required=False)

    def __init__(self, *args: Any, cadre: Cadre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exit_record"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ExitRecord.objects.filter(cadre=cadre).order_by("-effective_on", "-id")
        field.label_from_instance = lambda r: f"{r.effective_on:%Y-%m-%d} {r.get_kind_display()}"  # type: ignore[method-assign,assignment]
        field.error_messages["invalid_choice"] = MSG_EXIT_NOT_VISIBLE

    def clean_handled_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("handled_on"))


class GradesUploadForm(StyledForm):
    """The filled sheet of a round's grades (.xlsx)."""

    file = forms.FileField(
        label="考核等次表（.xlsx）",
        help_text="第 1 行为表头：姓名、确定等次必填，德能勤绩廉、实绩得分、实绩情况等可选。",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self) -> Any:
        """Refuse a file over 5 MB before anything reads it."""
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("文件超过 5 MB 的上限。")
        return upload
