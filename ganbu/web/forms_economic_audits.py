"""Forms of the economic-audit pages: registering an audit (from a trigger or by hand), and one
form per step of the engagement (commission, notice, start, report, follow-up, close).

Forms only parse: the tenure audited is looked up among the leading posts in the user's scope (an
id outside it is a field error, never a 500), dates are kept within 1900–2100, and everything the
rules decide — who is a subject, the three-day notice, the order of the steps — is checked by
``ganbu.economic_audits.services``, whose ``ServiceError`` is put back on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from ganbu.accounts.models import User
from ganbu.core.access import unit_scope_q
from ganbu.economic_audits.choices import COMMISSIONER_CHOICES, TRIGGER_CHOICES, Status
from ganbu.economic_audits.facts import SUBJECT_UNIT_KINDS
from ganbu.economic_audits.services import DEFAULT_AUDIT_BODY
from ganbu.registry.choices import PostKind
from ganbu.registry.models import Tenure

from .forms_common import DATE_WIDGET, StyledForm

MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"
MSG_TENURE_NOT_VISIBLE = "任职记录不存在或不在您的管理范围内。"


def _in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


class _Dated(StyledForm):
    """A form whose date fields are all kept within 1900–2100."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and data.get(name) is not None:
                try:
                    _in_range(data[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


def leading_tenures(user: User, on: dt.date) -> Any:
    """The unit-leading tenures (正职 and 副职) in the user's scope held on ``on``."""
    return (
        Tenure.objects.filter(
            unit_scope_q(user, "post__unit__"),
            start_date__lte=on,
            post__kind__in=[PostKind.HEAD, PostKind.DEPUTY],
            post__unit__kind__in=SUBJECT_UNIT_KINDS,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("cadre", "post__unit")
        .order_by("post__unit__path", "post__sort_order", "cadre__name_pinyin", "id")
    )


class EngagementForm(_Dated):
    """A new audit: the tenure audited, the trigger, the term covered and why."""

    tenure = forms.TypedChoiceField(label="审计对象（现任职务）", coerce=int)
    trigger = forms.ChoiceField(label="审计类型", choices=TRIGGER_CHOICES)
    term_start = forms.DateField(label="审计期间起", widget=DATE_WIDGET)
    term_end = forms.DateField(label="审计期间止", widget=DATE_WIDGET)
    trigger_note = forms.CharField(
        label="审计事由", max_length=300, help_text="如：拟调任某职务、任期届满、按审计计划任中审计。"
    )
    presiding_since = forms.DateField(
        label="主持工作起始日期",
        required=False,
        widget=DATE_WIDGET,
        help_text="副职主持工作的才填写；2010年、2019年规定要求主持工作满一年。",
    )

    def __init__(self, *args: Any, user: User, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenures = {t.pk: t for t in leading_tenures(user, on)}
        choices: list[tuple[Any, str]] = [("", "请选择")]
        choices += [
            (t.pk, f"{t.cadre.name}：{t.post}（{t.start_date:%Y-%m-%d}任职）") for t in self.tenures.values()
        ]
        self.fields["tenure"].choices = choices  # type: ignore[attr-defined]

    def clean_tenure(self) -> Tenure:
        tenure: Tenure | None = self.tenures.get(self.cleaned_data["tenure"])
        if tenure is None:
            raise ValidationError(MSG_TENURE_NOT_VISIBLE, code="tenure")
        return tenure


class CommissionForm(_Dated):
    """委托: who proposes, to which audit body, on which day, and the report asked by when."""

    commissioned_by = forms.ChoiceField(label="委托机关", choices=COMMISSIONER_CHOICES)
    audit_body = forms.CharField(label="审计机关", max_length=100, initial=DEFAULT_AUDIT_BODY)
    commissioned_on = forms.DateField(label="委托日期", widget=DATE_WIDGET)
    report_due_on = forms.DateField(label="要求完成日期", widget=DATE_WIDGET)


class NoticeForm(_Dated):
    """审计通知书送达."""

    served_on = forms.DateField(
        label="审计通知书送达日期", widget=DATE_WIDGET, help_text="应在实施审计三日前送达。"
    )


class StartForm(_Dated):
    """实施审计."""

    started_on = forms.DateField(label="实施审计日期", widget=DATE_WIDGET)


class ReportForm(_Dated):
    """审计报告 with its findings."""

    reported_on = forms.DateField(label="审计报告日期", widget=DATE_WIDGET)
    report_number = forms.CharField(label="审计报告文号", max_length=100)
    findings = forms.CharField(
        label="审计发现的主要问题和评价", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FollowUpForm(_Dated):
    """A rectification item."""

    description = forms.CharField(label="整改事项", max_length=300)
    owner = forms.CharField(label="责任单位或责任人", max_length=100)
    due_on = forms.DateField(label="整改期限", widget=DATE_WIDGET)


class FollowUpDoneForm(_Dated):
    """A rectification item done."""

    item = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    done_on = forms.DateField(label="完成日期", widget=DATE_WIDGET)
    result = forms.CharField(label="整改结果", max_length=2000)


class CloseForm(_Dated):
    """整改完成."""

    closed_on = forms.DateField(label="整改完成日期", widget=DATE_WIDGET)
    summary = forms.CharField(label="整改情况", max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(StyledForm):
    """The list's filters (all optional; a bad value is ignored)."""

    compact = True
    status = forms.ChoiceField(label="状态", required=False)
    trigger = forms.ChoiceField(label="类型", required=False)
    q = forms.CharField(label="姓名或单位", required=False, max_length=50)
    year = forms.IntegerField(label="报告年度", required=False, min_value=1950, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_choices = [("", "全部状态"), ("pending", "未出具报告"), *list(Status.choices)]
        self.fields["status"].choices = status_choices  # type: ignore[attr-defined]
        trigger_choices = [("", "全部类型"), ("departure", "离任审计"), *TRIGGER_CHOICES]
        self.fields["trigger"].choices = trigger_choices  # type: ignore[attr-defined]
