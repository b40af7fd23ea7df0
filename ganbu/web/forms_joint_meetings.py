"""Forms of the joint-meeting pages: plan a meeting, attendees, agenda, findings, held, minutes, follow-ups.

Forms only parse: the cadre is looked up through the scoped registry selector (an id outside the user's
scope is a field error), owners among the users who see meetings, dates within 1900–2100; what depends
on the meeting (its status, the day it was held) is checked by ``ganbu.joint_meetings.services``, whose
``ServiceError`` is put back on the form by ``add_service_error``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.joint_meetings.choices import Body
from ganbu.joint_meetings.selectors import follow_up_owners
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm
from .forms_exits import cadre_label

MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"


def _in_range(value: dt.date | None) -> dt.date | None:
    """Dates outside 1900–2100 are typing errors."""
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


class _PageForm(StyledForm):
    """A form of the meeting page: its own id prefix (``id_prefix``), since several forms share the page
    and two of them have a cadre field; the posted names stay the fields' own."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class MeetingForm(StyledForm):
    """Plan a meeting: its day, and optionally its name, the period reviewed, venue and chair."""

    held_on = forms.DateField(
        label="会议日期", widget=DATE_WIDGET, help_text="计划召开的日期，召开后可更正。"
    )
    title = forms.CharField(
        label="会议名称",
        max_length=200,
        required=False,
        help_text="留空则为“某年上半年干部监督工作联席会议”。",
    )
    period_start = forms.DateField(
        label="通报期间起", widget=DATE_WIDGET, required=False, help_text="留空则为上一个半年。"
    )
    period_end = forms.DateField(label="通报期间止", widget=DATE_WIDGET, required=False)
    venue = forms.CharField(label="会议地点", max_length=200, required=False)
    chair = forms.CharField(label="主持人", max_length=100, required=False)

    def clean_held_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("held_on"))

    def clean_period_start(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("period_start"))

    def clean_period_end(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("period_end"))


class MemberForm(_PageForm):
    """An attendee: body, name, post."""

    id_prefix = "member"

    body = forms.ChoiceField(label="成员单位", choices=Body.choices)
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=100)


class AgendaForm(_PageForm):
    """A topic typed by the officer, optionally about one cadre."""

    id_prefix = "agenda"

    title = forms.CharField(label="议题", max_length=300)
    detail = forms.CharField(
        label="情况", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cadre = forms.IntegerField(
        label="涉及干部（可不选）", min_value=1, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _picker(self.fields["cadre"])

    def clean_cadre(self) -> Cadre | None:
        pk = self.cleaned_data.get("cadre")
        return _cadre(self, pk) if pk else None


class CaseForm(_PageForm):
    """An open case of another app to put on the agenda: ``source`` and its id, from the list offered."""

    id_prefix = "case"

    case = forms.CharField(label="待议案件", max_length=40)

    def clean_case(self) -> tuple[str, int]:
        source, _, pk = self.cleaned_data["case"].partition(":")
        if not pk.isdigit() or len(pk) > 18:
            raise ValidationError("请选择待议案件。", code="case")
        return source, int(pk)


class FindingForm(_PageForm):
    """What the meeting found about a cadre and the measure agreed."""

    id_prefix = "finding"

    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())
    text = forms.CharField(label="有关情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(
        label="处理意见", max_length=1000, help_text="如提醒谈话、函询、诫勉、移送县纪委监委、暂缓提拔使用。"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _picker(self.fields["cadre"])

    def clean_cadre(self) -> Cadre:
        return _cadre(self, self.cleaned_data["cadre"])


class HeldForm(_PageForm):
    """The day the meeting met."""

    id_prefix = "held"

    held_on = forms.DateField(label="召开日期", widget=DATE_WIDGET)

    def clean_held_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("held_on"))


class MinutesForm(_PageForm):
    """The minutes' text (what was agreed) and the day it is settled."""

    id_prefix = "minutes"

    minutes = forms.CharField(
        label="会议议定事项（纪要正文）", max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes_on = forms.DateField(label="定稿日期", widget=DATE_WIDGET)

    def clean_minutes_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("minutes_on"))


class FollowUpForm(_PageForm):
    """A task of the meeting: its owner (a user, a body, or both) and due date."""

    id_prefix = "follow_up"

    task = forms.CharField(label="督办事项", max_length=500)
    owner = forms.ModelChoiceField(label="责任人", queryset=User.objects.none(), required=False)
    owner_body = forms.CharField(
        label="责任单位", max_length=100, required=False, help_text="如县纪委监委、县审计局。"
    )
    due_on = forms.DateField(label="完成时限", widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = follow_up_owners()
        owner.label_from_instance = lambda u: u.display_name or u.get_username()  # type: ignore[method-assign,assignment]
        owner.empty_label = "（不指定，填写责任单位）"

    def clean_due_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("due_on"))


class FollowUpDoneForm(_PageForm):
    """A follow-up reported done: the day and the result."""

    id_prefix = "done"

    done_on = forms.DateField(label="办结日期", widget=DATE_WIDGET)
    result = forms.CharField(label="办理结果", max_length=500)

    def clean_done_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("done_on"))


def _picker(field: forms.Field) -> None:
    """Make a number field the on-demand cadre picker of ``static/ganbu/picker.js``."""
    field.widget.attrs.update(
        {
            "data-picker": "cadres",
            "data-picker-url": reverse("web:picker-cadres"),
            "placeholder": "输入姓名或拼音首字母选择",
        }
    )


def _cadre(form: AgendaForm | FindingForm, pk: int) -> Cadre:
    """The chosen cadre within the user's scope, or a field error."""
    try:
        cadre = registry_selectors.cadre_get_for_user(user=form.user, cadre_id=pk)
    except Http404:
        raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
    form.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
    return cadre
