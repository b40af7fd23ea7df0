"""Forms of the 谈话 pages: a talk of one kind, a 诫勉, a 函询's written answer, a planned talk held.

Forms only parse: the cadre is looked up through the scoped registry selector (an id outside the
user's scope is a field error, never a 500), dates are kept within 1900–2100; everything that
depends on the records — who may talk, the 纪实's appointees, the 诫勉 period — is checked by
``ganbu.talks.services``, whose ``ServiceError`` is put back on the form by ``add_service_error``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.policy.keys import KEYS
from ganbu.registry import selectors
from ganbu.registry.models import Cadre
from ganbu.selection.models import SelectionRecord
from ganbu.talks.choices import TalkerBody, TalkKind
from ganbu.talks.services import ADMONISHMENT_MONTHS_KEY

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm
from .forms_people import UnitPickerField

MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"
MSG_RECORD_MISSING = "选拔任用纪实不存在。"


def _in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


def cadre_label(cadre: Cadre) -> str:
    """What the picker shows for a chosen cadre."""
    return f"{cadre.name}（{cadre.unit.name}）"


class _CadreForm(StyledForm):
    """The cadre picker shared by the talk and 诫勉 forms."""

    cadre = forms.IntegerField(label="谈话对象", min_value=1, widget=forms.TextInput())

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

    def set_cadre(self, cadre: Cadre) -> None:
        """Preset the cadre (from a to-do link)."""
        self.initial["cadre"] = cadre.pk
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)

    def clean_cadre(self) -> Cadre:
        """The chosen cadre, looked up within the user's scope."""
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=self.cadre_id_value())
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre

    def cadre_id_value(self) -> int:
        value: int = self.cleaned_data["cadre"]
        return value


class TalkForm(_CadreForm):
    """A talk of one kind (not 诫勉): who, when, by whom, about what; a 函询's due day; a 纪实 link."""

    held_on = forms.DateField(label="谈话日期", widget=DATE_WIDGET)
    planned = forms.BooleanField(
        label="尚未进行（登记为待谈话）", required=False, help_text="谈话后在详情页登记谈话情况。"
    )
    talkers = forms.CharField(label="谈话人", max_length=200, help_text="姓名和职务，多人用顿号分隔。")
    talker_body = forms.ChoiceField(label="谈话人所在机关", choices=TalkerBody.choices)
    issue = forms.CharField(label="谈话事由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label="后续要求与落实", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer_due_on = forms.DateField(
        label="回复期限",
        widget=DATE_WIDGET,
        help_text="被函询人应当在收到函件后15个工作日内写出说明材料（《中国共产党纪律检查机关监督执纪工作规则》）。",
    )
    record = forms.IntegerField(label="选拔任用纪实", min_value=1, required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, kind: TalkKind, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.kind = kind
        if kind == TalkKind.INQUIRY:
            del self.fields["planned"]
            self.fields["held_on"].label = "函件发出日期"
            self.fields["talkers"].label = "承办人"
            self.fields["issue"].label = "函询事项"
        else:
            del self.fields["answer_due_on"]
        if kind != TalkKind.INTEGRITY:
            del self.fields["record"]
        if kind == TalkKind.SECRETARY:
            self.fields["talkers"].help_text = "纪委书记（或受托的纪委领导）姓名和职务。"
            self.fields["cadre"].label = "谈话对象（单位主要负责人）"

    def clean_held_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("held_on"))

    def clean_answer_due_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("answer_due_on"))

    def clean_record(self) -> SelectionRecord | None:
        """The 纪实 this 廉政谈话 precedes (the service checks the cadre is its approved appointee)."""
        pk = self.cleaned_data.get("record")
        if not pk:
            return None
        record = SelectionRecord.objects.filter(pk=pk).first()
        if record is None:
            raise ValidationError(MSG_RECORD_MISSING, code="record")
        return record


class AdmonishForm(_CadreForm):
    """A 诫勉: the decision day, by whom, the grounds; the period from county policy unless stated."""

    decided_on = forms.DateField(label="诫勉决定日期", widget=DATE_WIDGET, help_text="影响期自该日起算。")
    talkers = forms.CharField(label="诫勉谈话人", max_length=200, help_text="姓名和职务，多人用顿号分隔。")
    talker_body = forms.ChoiceField(label="作出诫勉的机关", choices=TalkerBody.choices)
    approving_body = forms.CharField(
        label="批准机关", max_length=100, required=False, help_text="留空则为作出诫勉的机关。"
    )
    months = forms.IntegerField(label="影响期月数", required=False, min_value=1, max_value=60)
    issue = forms.CharField(label="诫勉事由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label="整改要求", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, county_months: int, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        spec = KEYS[ADMONISHMENT_MONTHS_KEY]
        self.fields["months"].help_text = (
            f"留空按本县规定（现为{county_months}个月，{spec.label}可由管理员调整）；"
            "诫勉决定另有写明的填写该月数。"
        )

    def clean_decided_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("decided_on"))


class AnswerForm(StyledForm):
    """The written answer to a 函询."""

    answered_on = forms.DateField(label="回复日期", widget=DATE_WIDGET)
    answer = forms.CharField(label="书面回复内容", max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(
        label="处理意见", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_answered_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("answered_on"))


class HoldForm(StyledForm):
    """A planned talk that took place."""

    held_on = forms.DateField(label="谈话日期", widget=DATE_WIDGET)
    follow_up = forms.CharField(
        label="后续要求与落实", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_held_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("held_on"))


class TalkUnitFilterForm(StyledForm):
    """The list's unit filter: a unit select rendering a few units and finding the others by search.

    Why not every unit in scope: at province scale that is thousands of options on every page
    (issue 13's ``registry.selectors.unit_picker_options``).
    """

    compact = True

    unit = UnitPickerField(label="单位", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(selectors.unit_picker_options(user=user, chosen=self.data.get("unit")))
        unit.widget.attrs["id"] = "f-unit"
