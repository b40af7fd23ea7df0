"""Forms of 信访举报: the public desk's form and the staff forms (intake, assign, cadres, verify, conclude).

Forms only parse; ``ganbu.petitions.services`` decides (who may act, the sender's name when not
anonymous, the conclusion's talk) and its ``ServiceError`` messages are put back with
``add_service_error``. The cadre picker loads on demand (``static/ganbu/picker.js``) and looks the
chosen cadre up within the user's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.petitions.choices import Channel, Conclusion, IntakeBody, PetitionStatus
from ganbu.petitions.services import CONTENT_MAX
from ganbu.registry import selectors as registry
from ganbu.registry.models import Cadre

from .forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm
from .forms_exits import cadre_label

MSG_DATE_RANGE = "日期须在1900年至2100年之间。"

_STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]


class _SenderFields(StyledForm):
    """What every petition says: about whom, what, and the sender unless anonymous."""

    about = forms.CharField(
        label="反映对象",
        max_length=200,
        help_text="被反映人的姓名、单位和职务（如：县财政局 某某 副局长）。",
    )
    content = forms.CharField(
        label="反映内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请写明具体事实（时间、地点、经过、证据线索），以便核查。不超过 5000 字。",
    )
    anonymous = forms.BooleanField(label="匿名反映（不保存姓名和联系方式）", required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    contact = forms.CharField(
        label="联系方式", max_length=100, required=False, help_text="电话或地址，便于核实情况和答复。"
    )

    def clean(self) -> dict[str, Any]:
        """An anonymous sender's name and contact are dropped here already, not only in the service."""
        data = super().clean() or {}
        if data.get("anonymous"):
            data["name"] = ""
            data["contact"] = ""
        return data


class PublicPetitionForm(_SenderFields):
    """The public desk's form (channel 网上): which body to tell, about whom, what, and who (optional)."""

    field_order = ["intake_body", "about", "content", "anonymous", "name", "contact"]

    intake_body = forms.ChoiceField(
        label="反映给",
        choices=[
            (IntakeBody.ORGANIZATION.value, "县委组织部（选人用人、干部作风等问题）"),
            (IntakeBody.DISCIPLINE.value, "县纪委监委（违纪违法问题）"),
        ],
        initial=IntakeBody.ORGANIZATION.value,
    )


class IntakeForm(_SenderFields):
    """Staff record a letter, call or visit (the case belongs to the recorder's body)."""

    field_order = ["channel", "received_on", "about", "content", "anonymous", "name", "contact"]

    channel = forms.ChoiceField(label="来源方式", choices=_STAFF_CHANNELS)
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET, initial=dt.date.today)

    def clean_received_on(self) -> dt.date:
        """A real day (the service refuses a future one)."""
        value: dt.date = self.cleaned_data["received_on"]
        if not 1900 <= value.year <= 2100:
            raise ValidationError(MSG_DATE_RANGE, code="date_range")
        return value


class _StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A staff member shown with their role."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name or obj.username}（{obj.get_role_display()}）"


class _CadreChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A cadre shown with their unit."""

    def label_from_instance(self, obj: Any) -> str:
        return cadre_label(obj)


class AssignForm(StyledForm):
    """Hand the case to a staff member of 县纪委监委 or 组织部干部科."""

    assignee = _StaffChoice(label="承办人", queryset=User.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff


class CadreAddForm(StyledForm):
    """Add one registry cadre the petition concerns (the picker loads on demand)."""

    cadre = forms.IntegerField(label="添加涉及干部", min_value=1, widget=forms.TextInput())

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
        """The chosen cadre, looked up within the user's scope."""
        try:
            cadre = registry.cadre_get_for_user(user=self.user, cadre_id=self.cleaned_data["cadre"])
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.fields["cadre"].widget.attrs["data-picker-label"] = cadre_label(cadre)
        return cadre


class VerifyForm(StyledForm):
    """What the verification found (internal: the sender never sees it)."""

    notes = forms.CharField(
        label="核查情况",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="核查方式、了解到的事实和初步意见，仅工作人员可见；再次保存将替换原内容。",
    )


class ConcludeForm(StyledForm):
    """The conclusion: 不实, 谈话提醒, 诫勉 or 移送, the reply to the sender, and the talk's facts."""

    conclusion = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *Conclusion.choices])
    reply = forms.CharField(
        label="办理结论（答复反映人）",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="反映人凭查询码可以看到此内容，请勿写入反映人或其他群众的个人信息。",
    )
    referred_to = forms.CharField(
        label="移送单位", max_length=100, required=False, help_text="移送处理时填写。"
    )
    cadre = _CadreChoice(
        label="谈话对象",
        queryset=Cadre.objects.none(),
        required=False,
        empty_label="（谈话提醒或诫勉时选择）",
    )
    held_on = forms.DateField(label="谈话（诫勉）日期", widget=DATE_WIDGET, required=False)
    talkers = forms.CharField(label="谈话人", max_length=200, required=False, help_text="姓名和职务。")
    issue = forms.CharField(
        label="谈话事由",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写入谈话记录；留空则用办理结论。",
    )
    months = forms.IntegerField(
        label="诫勉影响期（月）", min_value=1, max_value=60, required=False, help_text="留空按本县规定。"
    )

    def __init__(self, *args: Any, cadres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cadre"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cadres

    def clean_held_on(self) -> dt.date | None:
        """A real day, or none (the service says when one is needed)."""
        value: dt.date | None = self.cleaned_data.get("held_on")
        if value is not None and not 1900 <= value.year <= 2100:
            raise ValidationError(MSG_DATE_RANGE, code="date_range")
        return value


class PetitionFilterForm(StyledForm):
    """The list's filters: status, channel, only mine, overdue, and a search of 反映对象 or the code."""

    compact = True

    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *PetitionStatus.choices], required=False
    )
    channel = forms.ChoiceField(label="来源", choices=[("", "全部来源"), *Channel.choices], required=False)
    mine = forms.BooleanField(label="我承办的", required=False)
    overdue = forms.BooleanField(label="已逾期", required=False)
    q = forms.CharField(label="反映对象或查询码", max_length=50, required=False)
