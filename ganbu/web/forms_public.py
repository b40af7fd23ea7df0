"""Forms of the public notice pages (no login) and of the staff objection desk.

Forms only parse; ``ganbu.selection.services.objection_submit`` and ``objection_resolve`` decide
(the notice still current, the content long enough, the rate limit, the resolver's scope) and their
``ServiceError`` messages are put back with ``add_service_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from ganbu.selection.choices import ObjectionKind

from .forms_common import StyledForm

CONTENT_MAX = 5000


class ObjectionForm(StyledForm):
    """What a member of the public sends about a notice; "anonymous" blanks the name and contact."""

    kind = forms.ChoiceField(label="反映类别", choices=ObjectionKind.choices, initial=ObjectionKind.OBJECTION)
    about = forms.CharField(
        label="反映对象",
        max_length=100,
        required=False,
        help_text="公告中的哪一位同志（可不填）。",
    )
    content = forms.CharField(
        label="反映内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请写明具体事实（时间、地点、经过），以便查核。不超过 5000 字。",
    )
    anonymous = forms.BooleanField(
        label="匿名反映（不保存姓名和联系方式）",
        required=False,
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    contact = forms.CharField(
        label="联系方式",
        max_length=100,
        required=False,
        help_text="电话或地址，便于需要时向您了解情况（可不填）。",
    )

    def clean(self) -> dict[str, Any]:
        """An anonymous sender's name and contact are dropped here already, not only in the service."""
        data = super().clean() or {}
        if data.get("anonymous"):
            data["name"] = ""
            data["contact"] = ""
        return data


class TrackForm(StyledForm):
    """The tracking code printed on the confirmation page (sent by POST, so it is in no URL or log)."""

    code = forms.CharField(
        label="查询码",
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": "例如 ABCD-EFGH-JKLM",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )


class ResolveForm(StyledForm):
    """How an objection was checked and concluded; the sender reads it with their tracking code."""

    resolution = forms.CharField(
        label="查核情况和结论",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="反映人凭查询码可以看到此内容，请勿写入反映人或其他群众的个人信息。",
    )
