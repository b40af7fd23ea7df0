"""The form that records a new version of a county policy value."""

from __future__ import annotations

from django import forms

from ganbu.policy.keys import KEYS
from ganbu.policy.models import CalendarDay

from .forms_common import DATE_WIDGET, StyledForm


class PolicyForm(StyledForm):
    """Key, new value, effective date and the document it rests on."""

    key = forms.ChoiceField(label="参数", choices=[(k, spec.label) for k, spec in KEYS.items()])
    value = forms.CharField(
        label="新值",
        max_length=32,
        help_text="比例可写作 3/10 或 0.3；年龄、人数写整数；“是否”类参数写 1（是）或 0（否）。",
    )
    effective_from = forms.DateField(label="起始日期", widget=DATE_WIDGET)
    note = forms.CharField(label="依据文件或说明", max_length=300)


class CalendarDayForm(StyledForm):
    """An administrator's entry in the working-day calendar."""

    day = forms.DateField(label="日期", widget=DATE_WIDGET)
    kind = forms.ChoiceField(label="类别", choices=CalendarDay.KINDS)
    note = forms.CharField(label="依据（如国务院办公厅放假通知）", max_length=200)


class CalendarYearForm(StyledForm):
    """The administrator's declaration that a year's working-day calendar is entered completely."""

    year = forms.IntegerField(label="年份", min_value=1949, max_value=2100, widget=forms.HiddenInput)
    note = forms.CharField(label="依据（如国务院办公厅关于该年部分节假日安排的通知）", max_length=200)
