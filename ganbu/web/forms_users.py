"""Forms of user management (「用户管理」, the system administrator) and of changing one's own password.

The forms parse input and find what the administrator names (the scope unit from the unit picker,
a cadre's own record by identity number); ``accounts.services`` checks roles and scope and writes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.urls import reverse

from ganbu.accounts import selectors
from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.registry.choices import ManagementAuthority
from ganbu.registry.models import Cadre, Unit

from .forms_common import StyledForm

MSG_UNIT_UNKNOWN = "请从列表中选择单位（输入单位名称后点选）。"
MSG_CADRE_NOT_FOUND = "没有身份证号为 {number} 的干部档案。请核对号码；档案中尚无身份证号的，请干部科先补录。"
MSG_ID_NUMBER_NEEDED = "干部本人（自助）账号请填写本人身份证号，以关联本人的干部档案。"
MSG_PASSWORDS_DIFFER = "两次输入的密码不一致。"
MSG_PASSWORD_WRONG = "当前密码不正确。"
MSG_USERNAME_REQUIRED = "请填写用户名。"
MSG_USERNAME_INVALID = "用户名只能包含字母、数字和 @ . + - _。"
NEW_PASSWORD = {"autocomplete": "new-password"}

ACTIVE_CHOICES = (("", "全部"), ("1", "启用"), ("0", "已停用"))
# Applicant accounts are opened by the applicants themselves on the public registration page.
CREATABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.APPLICANT]


def unit_label(unit: Unit) -> str:
    """What the unit picker shows for a unit: its name, and its parent's to tell 办公室 from 办公室."""
    return f"{unit.name}（{unit.parent.name}）" if unit.parent_id and unit.parent else unit.name


def _password_help() -> str:
    return "；".join(str(text).rstrip("。") for text in password_validators_help_texts()) + "。"


class UserFilterForm(StyledForm):
    """The user list's filter bar (GET)."""

    compact = True
    q = forms.CharField(label="用户名或姓名", required=False, max_length=50)
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部"), *Role.choices])
    active = forms.ChoiceField(label="状态", required=False, choices=ACTIVE_CHOICES)

    def filters(self) -> selectors.UserFilter:
        """The selector's filter; an invalid bar filters nothing."""
        if not self.is_valid():
            return selectors.UserFilter()
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data["active"])
        return selectors.UserFilter(q=data["q"].strip(), role=data["role"], active=active)


class _AccountFieldsForm(StyledForm):
    """Name, role, scope, own record and e-mail: shared by the create and the edit form."""

    display_name = forms.CharField(label="姓名", required=False, max_length=50)
    role = forms.ChoiceField(label="角色", choices=CREATABLE_ROLES)
    scope_unit = forms.IntegerField(
        label="管理范围（单位）",
        required=False,
        widget=forms.TextInput(),
        help_text="为空表示全县；单位人事干部必填，只能看到和办理该单位及下属单位的干部。",
    )
    scope_authorities = forms.MultipleChoiceField(
        label="管理范围（干部管理权限）",
        required=False,
        choices=ManagementAuthority.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="不勾选表示不限。",
    )
    cadre_id_number = forms.CharField(
        label="本人身份证号",
        required=False,
        max_length=20,
        help_text="仅「干部本人（自助）」账号填写，用于关联本人的干部档案。",
    )
    email = forms.EmailField(
        label="电子邮件",
        required=False,
        max_length=254,
        help_text="用于发送待办提醒，可不填。",
        error_messages={"invalid": "电子邮件地址格式不正确。"},
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["scope_unit"].widget.attrs.update(
            {
                "data-picker": "units",
                "data-picker-url": reverse("web:user-picker-units"),
                "placeholder": "输入单位名称选择",
            }
        )

    def style_widgets(self) -> None:
        """Bootstrap classes; each box of the authority list is laid out by the template."""
        super().style_widgets()
        self.fields["scope_authorities"].widget.attrs["class"] = "form-check-input"

    def preset_unit(self, unit: Unit | None) -> None:
        """Show the chosen (or current) scope unit's name in the picker."""
        if unit is not None:
            self.fields["scope_unit"].widget.attrs["data-picker-label"] = unit_label(unit)

    def clean_scope_unit(self) -> Unit | None:
        pk = self.cleaned_data.get("scope_unit")
        if pk is None:
            return None
        unit = Unit.objects.select_related("parent").filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError(MSG_UNIT_UNKNOWN)
        self.preset_unit(unit)
        return unit

    def resolve_cadre(self, current: Cadre | None = None) -> Cadre | None:
        """The own record a self-service account is linked to (None for every other role)."""
        if self.cleaned_data.get("role") != Role.CADRE:
            return None
        number = self.cleaned_data.get("cadre_id_number", "").strip()
        if not number:
            if current is not None:
                return current
            self.add_error("cadre_id_number", MSG_ID_NUMBER_NEEDED)
            return None
        cadre = selectors.cadre_by_id_number(actor=self.actor, id_number=number)
        if cadre is None:
            self.add_error("cadre_id_number", MSG_CADRE_NOT_FOUND.format(number=number))
        return cadre

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["cadre"] = self.resolve_cadre(getattr(self, "current_cadre", None))
        return data


class UserCreateForm(_AccountFieldsForm):
    """A new login: username, the account fields, and a password (or a generated temporary one)."""

    field_order = ["username", "display_name", "role", "scope_unit", "scope_authorities"]

    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text="登录时使用，只能包含字母、数字和 @ . + - _。",
        error_messages={
            "invalid": "用户名只能包含字母、数字和 @ . + - _。",
            "required": MSG_USERNAME_REQUIRED,
        },
    )
    password1 = forms.CharField(
        label="密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="再次输入密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = "不填则由系统生成临时密码，只显示一次。" + _password_help()

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1", "")
        second = str(self.cleaned_data.get("password2", ""))
        if first != second:
            raise forms.ValidationError(MSG_PASSWORDS_DIFFER)
        return second


class UserEditForm(_AccountFieldsForm):
    """Change an existing login's name, role, scope, own record and e-mail."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        initial = {
            "display_name": user.display_name,
            "role": user.role,
            "scope_unit": user.scope_unit_id,
            "scope_authorities": list(user.scope_authorities),
            "email": user.email,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.current_cadre = user.cadre
        role = self.fields["role"]
        if user.role == Role.APPLICANT and isinstance(role, forms.ChoiceField):
            role.choices = Role.choices
        self.preset_unit(user.scope_unit)
        if user.cadre is not None:
            self.fields[
                "cadre_id_number"
            ].help_text = (
                f"已关联本人档案：{user.cadre.name}。不填则保持不变；仅「干部本人（自助）」账号关联档案。"
            )


class PasswordSetForm(StyledForm):
    """The administrator sets a user's password (instead of generating one)."""

    password1 = forms.CharField(
        label="新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _password_help()
        for field in self.fields.values():
            field.error_messages["required"] = f"请输入{field.label}。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", MSG_PASSWORDS_DIFFER)
        return data


class OwnPasswordForm(PasswordSetForm):
    """Anyone changes their own password: the current one first, so an unattended session cannot."""

    field_order = ["old_password", "password1", "password2"]

    old_password = forms.CharField(
        label="当前密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        value = str(self.cleaned_data["old_password"])
        if not self.user.check_password(value):
            raise forms.ValidationError(MSG_PASSWORD_WRONG)
        return value


class ReasonForm(StyledForm):
    """The reason recorded with disabling, enabling or unlocking a login."""

    reason = forms.CharField(label="事由", required=False, max_length=200)
