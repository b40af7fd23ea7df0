"""Forms of the 能上能下 pages: one exit form per kind, the incompetence case and the proceedings.

Forms only parse: people and posts are looked up through the scoped registry selectors (an id
outside the user's scope is a field error, never a 500), dates are kept within 1900–2100, and
everything that depends on the record — ages, ranks, proceedings, the case's step — is checked by
``ganbu.exits.services``, whose ``ServiceError`` is put back on the form by ``add_service_error``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.exits import selectors as exit_selectors
from ganbu.exits.choices import GROUND_CHOICES, PROCEEDING_KIND_CHOICES
from ganbu.exits.services import DEFAULT_ISSUING_BODY, Decision
from ganbu.registry import selectors
from ganbu.registry.choices import Rank
from ganbu.registry.models import Cadre, Post
from ganbu.rules.exits import CASE_OUTCOMES, ExitKind

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm

MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"
MSG_RESULT_NOT_VISIBLE = "测评结果不存在或无权查看。"
MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"
MSG_CASE_START = "请选择民主测评结果，或选择干部并说明启动理由。"

_COMMON = (
    "cadre",
    "document_number",
    "document_title",
    "issuing_body",
    "decided_on",
    "effective_on",
    "reason",
)
# Which fields each kind's form shows, after the common ones; the basis (decision relied on) last.
KIND_FIELDS: dict[ExitKind, tuple[str, ...]] = {
    ExitKind.EARLY_EXIT: (),
    ExitKind.REASSIGN_NON_LEADERSHIP: ("new_post", "new_rank"),
    ExitKind.REMOVAL: (),
    ExitKind.DEMOTION: ("new_rank", "new_post"),
    ExitKind.RESIGNATION_ENTIRE: (),
    ExitKind.RESIGNATION_POST: (),
    ExitKind.RETIREMENT: ("early_ground",),
}


def _in_range(value: dt.date | None) -> dt.date | None:
    """Dates of a county's records lie between 1900 and 2100; others are typing errors (and would
    overflow the age arithmetic)."""
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


def _picker(field: forms.Field, kind: str, url: str, placeholder: str) -> None:
    """Make a number field the on-demand picker of ``static/ganbu/picker.js``."""
    field.widget.attrs.update({"data-picker": kind, "data-picker-url": url, "placeholder": placeholder})


def cadre_label(cadre: Cadre) -> str:
    """What the picker shows for a chosen cadre."""
    return f"{cadre.name}（{cadre.unit.name}）"


class ExitForm(StyledForm):
    """An exit of one kind: the cadre, the document, the dates, the reason, and what the kind needs."""

    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())
    document_number = forms.CharField(label="任免文件文号", max_length=60)
    document_title = forms.CharField(
        label="文件标题",
        max_length=200,
        required=False,
        help_text="留空则为“关于某某同志离岗退养的通知”之类。",
    )
    issuing_body = forms.CharField(label="发文机关", max_length=100, initial=DEFAULT_ISSUING_BODY)
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET)
    effective_on = forms.DateField(label="生效日期", widget=DATE_WIDGET, help_text="现任职务自该日免去。")
    new_post = forms.IntegerField(label="新任职位", min_value=1, required=False, widget=forms.TextInput())
    new_rank = forms.ChoiceField(label="职级", choices=[("", "—"), *Rank.choices], required=False)
    early_ground = forms.ChoiceField(
        label="提前退休情形",
        choices=[("", "不提前（达到法定退休年龄）"), *GROUND_CHOICES],
        required=False,
        help_text="生效日期早于法定退休日期时必须选择；完全丧失工作能力或其他情形须在决定依据中写明鉴定结论或规定。",
    )
    reason = forms.CharField(label="事由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(
        label="决定依据",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如县委常委会会议决定、文件；系统会自动写明所核对的规定。",
    )

    def __init__(self, *args: Any, kind: ExitKind | None, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.kind = kind
        if kind is not None:
            keep = {*_COMMON, *KIND_FIELDS[kind], "basis"}
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]
        if kind is ExitKind.REASSIGN_NON_LEADERSHIP:
            self.fields["new_post"].required = True
            self.fields["new_post"].label = "改任的非领导职务"
            self.fields["new_rank"].label = "确定职级（可不填）"
        elif kind is ExitKind.DEMOTION:
            self.fields["new_rank"].required = True
            self.fields["new_rank"].label = "降职后的职级"
            self.fields["new_post"].label = "降职后任职位（可不填）"
        if "cadre" in self.fields:
            _picker(self.fields["cadre"], "cadres", reverse("web:picker-cadres"), "输入姓名或拼音首字母选择")
        if "new_post" in self.fields:
            _picker(self.fields["new_post"], "posts", reverse("web:picker-posts"), "输入职位或单位名称选择")

    def set_cadre(self, cadre: Cadre) -> None:
        """Preset the cadre (from a due list's link)."""
        self.initial["cadre"] = cadre.pk
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)

    def clean_cadre(self) -> Cadre:
        """The chosen cadre, looked up within the user's scope."""
        pk = self.cleaned_data["cadre"]
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=pk)
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre

    def clean_new_post(self) -> Post | None:
        """The chosen post, within the user's scope (or none)."""
        pk = self.cleaned_data.get("new_post")
        if not pk:
            return None
        try:
            post = selectors.post_get_for_user(user=self.user, post_id=pk)
        except Http404:
            raise ValidationError(MSG_POST_NOT_VISIBLE, code="post") from None
        self.fields["new_post"].widget.attrs["data-picker-label"] = f"{post.unit.name} {post.title}"
        return post

    def clean_decided_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("decided_on"))

    def clean_effective_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("effective_on"))

    def decision(self) -> Decision:
        """The cleaned decision for the service."""
        data = self.cleaned_data
        return Decision(
            decided_on=data["decided_on"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            document_number=data["document_number"],
            basis=data.get("basis", ""),
            document_title=data.get("document_title", ""),
            issuing_body=data.get("issuing_body", "") or DEFAULT_ISSUING_BODY,
        )


class AdjustForm(ExitForm):
    """The adjustment that concludes a confirmed incompetence case: removal, demotion or reassignment."""

    adjustment = forms.ChoiceField(
        label="调整方式",
        choices=[(k.value, k.label) for k in ExitKind if k in CASE_OUTCOMES],
        initial=ExitKind.REMOVAL.value,
    )

    field_order = ["adjustment"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, kind=None, user=user, **kwargs)
        for name in ("cadre", "early_ground"):
            del self.fields[name]
        self.fields["new_post"].label = "新任职位（改任必填，降职可选）"
        self.fields["new_rank"].label = "职级（降职必填）"


class CaseOpenForm(StyledForm):
    """Start an incompetence case: from a flagged evaluation result, or a cadre with a reason."""

    evaluation = forms.IntegerField(
        label="民主测评结果", min_value=1, required=False, widget=forms.HiddenInput()
    )
    cadre = forms.IntegerField(label="干部", min_value=1, required=False, widget=forms.TextInput())
    reason = forms.CharField(
        label="启动理由",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="依据民主测评结果启动的可不填；手工启动须写明依据（如年度考核不称职）。",
    )
    opened_on = forms.DateField(label="启动日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _picker(self.fields["cadre"], "cadres", reverse("web:picker-cadres"), "输入姓名或拼音首字母选择")

    def clean_evaluation(self) -> Any:
        pk = self.cleaned_data.get("evaluation")
        if not pk:
            return None
        try:
            return exit_selectors.evaluation_result_get(user=self.user, result_id=pk)
        except Http404:
            raise ValidationError(MSG_RESULT_NOT_VISIBLE, code="evaluation") from None

    def clean_cadre(self) -> Cadre | None:
        pk = self.cleaned_data.get("cadre")
        if not pk:
            return None
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=pk)
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre

    def clean_opened_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("opened_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("evaluation") is None and data.get("cadre") is None:
            raise ValidationError(MSG_CASE_START)
        return data


class CaseConcludeForm(StyledForm):
    """The inspection's conclusion on an incompetence case."""

    confirmed = forms.TypedChoiceField(
        label="考察结论",
        choices=[("1", "认定不称职"), ("0", "不认定不称职")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    conclusion = forms.CharField(label="考察意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    inspected_on = forms.DateField(label="考察日期", widget=DATE_WIDGET)
    inspectors = forms.CharField(label="考察组成员", max_length=200)

    def clean_inspected_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("inspected_on"))


class ProceedingForm(StyledForm):
    """A new audit, discipline review, supervisory investigation or judicial procedure."""

    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())
    kind = forms.ChoiceField(label="类别", choices=PROCEEDING_KIND_CHOICES)
    body = forms.CharField(
        label="实施机关", max_length=100, help_text="如县纪委监委、县审计局、县人民检察院。"
    )
    started_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    note = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _picker(self.fields["cadre"], "cadres", reverse("web:picker-cadres"), "输入姓名或拼音首字母选择")

    def clean_cadre(self) -> Cadre:
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=self.cleaned_data["cadre"])
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre

    def clean_started_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("started_on"))


class ProceedingCloseForm(StyledForm):
    """The end of a proceeding."""

    ended_on = forms.DateField(label="结束日期", widget=DATE_WIDGET)
    note = forms.CharField(label="结束说明", max_length=300, required=False)

    def clean_ended_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("ended_on"))
