"""Forms of the exchange pages: an exchange (a move or a 挂职), a rotation plan, a move of a plan, the
plan's discussion, carrying it out, withdrawing it, and a 挂职's return.

Forms only parse: cadres and posts are looked up through the scoped registry selectors (an id outside
the user's scope is a field error, never a 500) and picked on demand (``static/ganbu/picker.js``);
dates are kept within 1900–2100. What depends on the records — the team limits, the posts held, the
document — is checked by ``ganbu.exchanges.services``, whose ``ServiceError`` is put back on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core.access import units_for
from ganbu.exchanges.choices import MOVE_KINDS, ExchangeDirection, ExchangeKind
from ganbu.registry import selectors
from ganbu.registry.models import Cadre, Post, Unit

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm
from .forms_people import UnitPickerField

MSG_DATE_RANGE = "日期须在 1900 年至 2100 年之间。"
MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"
MSG_UNIT_NOT_VISIBLE = "单位不存在或不在您的管理范围内。"


def _in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(MSG_DATE_RANGE, code="date_range")
    return value


def _picker(field: forms.Field, kind: str, url: str, placeholder: str) -> None:
    field.widget.attrs.update({"data-picker": kind, "data-picker-url": url, "placeholder": placeholder})


class _PickerForm(StyledForm):
    """A form with a cadre picker and a post picker (both loading on demand)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "cadre" in self.fields:
            _picker(self.fields["cadre"], "cadres", reverse("web:picker-cadres"), "输入姓名或拼音首字母选择")
        if "to_post" in self.fields:
            _picker(self.fields["to_post"], "posts", reverse("web:picker-posts"), "输入职位或单位名称选择")

    def clean_cadre(self) -> Cadre:
        """The chosen cadre, within the user's scope."""
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=self.cleaned_data["cadre"])
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = f"{cadre.name}（{cadre.unit.name}）"
        return cadre

    def clean_to_post(self) -> Post | None:
        """The chosen post, within the user's scope (or none)."""
        pk = self.cleaned_data.get("to_post")
        if not pk:
            return None
        try:
            post = selectors.post_get_for_user(user=self.user, post_id=pk)
        except Http404:
            raise ValidationError(MSG_POST_NOT_VISIBLE, code="post") from None
        self.fields["to_post"].widget.attrs["data-picker-label"] = f"{post.unit.name} {post.title}"
        return post


class ExchangeForm(_PickerForm):
    """One exchange: a move (调任、转任、轮岗, with its appointment document) or a 挂职 (host and term)."""

    kind = forms.ChoiceField(label="交流方式", choices=ExchangeKind.choices)
    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())
    start_on = forms.DateField(label="交流（挂职）开始日期", widget=DATE_WIDGET)
    to_post = forms.IntegerField(
        label="新任职务",
        min_value=1,
        required=False,
        widget=forms.TextInput(),
        help_text="调任、转任、轮岗必填；挂职的职务在本县职位中的，也可在此选择。",
    )
    to_unit = UnitPickerField(
        label="挂职单位", required=False, coerce=int, empty_value=None, help_text="挂职、党外干部挂任填写。"
    )
    host_post_title = forms.CharField(
        label="挂职职务", max_length=100, required=False, help_text="如：局长助理、校长助理、镇长助理。"
    )
    planned_end_on = forms.DateField(
        label="挂职期满日期", required=False, widget=DATE_WIDGET, help_text="挂职期满返回原单位的日期。"
    )
    direction = forms.ChoiceField(
        label="交流方向",
        required=False,
        choices=[("", "按单位类别自动确定"), *ExchangeDirection.choices],
    )
    decision_number = forms.CharField(label="挂职决定文号", max_length=60, required=False)
    document_number = forms.CharField(
        label="任免文件文号",
        max_length=60,
        required=False,
        help_text="调任、转任、轮岗必填：据此免去原职、任命新职。",
    )
    document_title = forms.CharField(label="任免文件标题", max_length=200, required=False)
    issued_on = forms.DateField(label="发文日期", required=False, widget=DATE_WIDGET)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        unit = self.fields["to_unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(selectors.unit_picker_options(user=user, chosen=self.data.get("to_unit")))

    def clean_to_unit(self) -> Unit | None:
        """The host unit, within the user's scope (or none)."""
        pk = self.cleaned_data.get("to_unit")
        if not pk:
            return None
        found = units_for(self.user).filter(pk=pk).first()
        if found is None:
            raise ValidationError(MSG_UNIT_NOT_VISIBLE, code="unit")
        return found

    def clean_start_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("start_on"))

    def clean_planned_end_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("planned_end_on"))

    def clean_issued_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("issued_on"))


class PlanForm(StyledForm):
    """A new rotation plan: its title, the day the moves take effect, a note."""

    title = forms.CharField(label="方案名称", max_length=200)
    planned_on = forms.DateField(label="拟交流日期", widget=DATE_WIDGET)
    note = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_planned_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("planned_on"))


class MoveForm(_PickerForm):
    """A move of a plan: the cadre (from their current post), the new post, how, and a reason if early."""

    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.TextInput())
    to_post = forms.IntegerField(label="拟任职务", min_value=1, widget=forms.TextInput())
    kind = forms.ChoiceField(label="交流方式", choices=[(k.value, k.label) for k in MOVE_KINDS])
    reason = forms.CharField(
        label="提前交流理由",
        max_length=300,
        required=False,
        help_text="任职未满规定年限而交流的，说明工作特殊需要、回避等理由。",
    )


class DiscussForm(StyledForm):
    """The meeting that discussed the plan."""

    discussed_on = forms.DateField(label="讨论日期", widget=DATE_WIDGET)
    meeting = forms.CharField(label="讨论会议", max_length=200, help_text="如：县委常委会、部务会。")

    def clean_discussed_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("discussed_on"))


class CarryOutForm(StyledForm):
    """The appointment document the plan is carried out by."""

    document_number = forms.CharField(label="任免文件文号", max_length=60)
    document_title = forms.CharField(label="任免文件标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DATE_WIDGET)
    effective_on = forms.DateField(
        label="生效日期", required=False, widget=DATE_WIDGET, help_text="留空则为方案的拟交流日期。"
    )
    issuing_body = forms.CharField(
        label="发文机关", max_length=100, required=False, help_text="留空则为中共示例县委。"
    )

    def clean_issued_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("issued_on"))

    def clean_effective_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("effective_on"))


class WithdrawForm(StyledForm):
    """Why the plan is withdrawn."""

    reason = forms.CharField(label="撤回原因", max_length=300)


class ReturnForm(StyledForm):
    """The day a 挂职 ended (the cadre returned)."""

    ended_on = forms.DateField(label="挂职结束日期", widget=DATE_WIDGET)

    def clean_ended_on(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("ended_on"))
