"""Forms of the organisation pages: units, posts, quotas, appointment documents, reviews, audit filters.

Forms only parse and validate input; the services write. A ``ServiceError`` raised by a service
is put back onto the form with :func:`add_service_error`, so it shows next to the field it names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import Http404
from django.urls import reverse_lazy

from ganbu.registry import selectors
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank, UnitKind, UnitLevel
from ganbu.registry.models import Cadre, Post, Unit
from ganbu.registry.services import ItemInput
from ganbu.web.forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm, add_service_error

MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"
MSG_DATE_RANGE = "结束日期不能早于开始日期。"

# Services name a failing document item as 「第 n 项：…」; this finds n to mark the row too.
_ITEM_NUMBER = re.compile(r"^第\s*(\d+)\s*项")


class UnitForm(StyledForm):
    """A unit's own attributes (its place in the tree is fixed when it is created)."""

    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    code = forms.CharField(label="单位代码", max_length=32, required=False)
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    level = forms.ChoiceField(label="机构级别", choices=UnitLevel.choices, initial=UnitLevel.SECTION)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=2_000_000_000, initial=0)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)

    @classmethod
    def initial_for(cls, unit: Unit) -> dict[str, Any]:
        """The form's initial values from an existing unit."""
        return {name: getattr(unit, name) for name in UnitForm.base_fields}

    def unit_data(self) -> dict[str, Any]:
        """The cleaned values the unit services accept."""
        return {name: self.cleaned_data[name] for name in UnitForm.base_fields}


class UnitUpdateForm(UnitForm):
    """Editing a unit: its attributes plus the reason recorded in the audit trail."""

    reason = forms.CharField(label="修改事由", max_length=300, required=False)


class PostForm(StyledForm):
    """A post's attributes; the unit is given by the page the form is on."""

    title = forms.CharField(label="职务名称", max_length=100)
    kind = forms.ChoiceField(label="职位类别", choices=PostKind.choices, initial=PostKind.DEPUTY)
    rank = forms.ChoiceField(label="职级", choices=Rank.choices, initial=Rank.DEPUTY_SECTION)
    is_leadership = forms.BooleanField(label="领导职务", required=False, initial=True)
    counts_toward_quota = forms.BooleanField(label="占用职数", required=False, initial=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=2_000_000_000, initial=0)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)

    @classmethod
    def initial_for(cls, post: Post) -> dict[str, Any]:
        """The form's initial values from an existing post."""
        return {name: getattr(post, name) for name in PostForm.base_fields}

    def post_data(self) -> dict[str, Any]:
        """The cleaned values the post services accept."""
        return {name: self.cleaned_data[name] for name in PostForm.base_fields}


class PostUpdateForm(PostForm):
    """Editing a post, with the reason recorded in the audit trail."""

    reason = forms.CharField(label="修改事由", max_length=300, required=False)


class QuotaForm(StyledForm):
    """Setting a unit's quota (职数) of one post kind."""

    kind = forms.ChoiceField(label="职位类别", choices=PostKind.choices)
    number = forms.IntegerField(label="核定职数", min_value=0, max_value=32767)
    reason = forms.CharField(label="依据/事由", max_length=300, required=False)


class DocumentForm(StyledForm):
    """The header of an appointment/removal document (任免文件)."""

    number = forms.CharField(
        label="文号", max_length=60, widget=forms.TextInput(attrs={"placeholder": "如 示委〔2024〕12号"})
    )
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DATE_WIDGET)
    issuing_body = forms.CharField(label="发文机关", max_length=100, initial="中共示例县委")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(StyledForm):
    """One item of a document: what to do, to which cadre, which post or rank, from when.

    The cadre and the post arrive as ids from the pickers and are resolved through the scoped
    selectors, so an id outside the user's scope is refused like one that does not exist.
    """

    compact = True

    kind = forms.ChoiceField(label="事项", choices=DocumentItemKind.choices, initial=DocumentItemKind.APPOINT)
    cadre = forms.IntegerField(label="干部", min_value=1, widget=forms.HiddenInput)
    post = forms.IntegerField(label="职位", min_value=1, required=False, widget=forms.HiddenInput)
    rank = forms.ChoiceField(label="职级", choices=[("", "—"), *Rank.choices], required=False)
    effective_on = forms.DateField(label="生效日期", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.cadre_obj: Cadre | None = None
        self.post_obj: Post | None = None
        self.item_number: int | None = None  # 「第 n 项」 as the service will count it, for the page

    def clean_cadre(self) -> int:
        """Resolve the cadre id within the user's scope."""
        cadre_id: int = self.cleaned_data["cadre"]
        try:
            self.cadre_obj = selectors.cadre_get_for_user(user=self.user, cadre_id=cadre_id)
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE) from None
        return cadre_id

    def clean_post(self) -> int | None:
        """Resolve the post id within the user's scope (empty for a rank item)."""
        post_id: int | None = self.cleaned_data.get("post")
        if post_id:
            try:
                self.post_obj = selectors.post_get_for_user(user=self.user, post_id=post_id)
            except Http404:
                raise ValidationError(MSG_POST_NOT_VISIBLE) from None
        return post_id

    @property
    def cadre_label(self) -> str:
        """What the cadre picker shows for the chosen cadre when the form is shown again."""
        c = self.cadre_obj
        if c is None:
            return ""
        return f"{c.name}（{c.current_post_text or f'{c.unit.name} {c.get_rank_display()}'}）"

    @property
    def post_label(self) -> str:
        """What the post picker shows for the chosen post when the form is shown again."""
        p = self.post_obj
        return f"{p.unit.name} {p.title}" if p else ""


class BaseItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The items of a document; rows left blank or marked deleted are skipped."""

    def active_forms(self) -> list[ItemForm]:
        """The rows that become document items, in order (item n of the service is row n here)."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not (self.can_delete and form.cleaned_data.get("DELETE", False))
        ]

    def item_inputs(self, *, default_date: Any) -> list[ItemInput]:
        """The service's item specifications; an empty effective date means the issue date."""
        result = []
        for form in self.active_forms():
            data = form.cleaned_data
            assert form.cadre_obj is not None  # clean_cadre resolved it: the form is valid
            # A rank item sets a rank and an appointment or removal names a post; a value left in
            # the other, hidden, field is dropped so the item records only what it does.
            is_rank = data["kind"] == DocumentItemKind.RANK
            result.append(
                ItemInput(
                    kind=data["kind"],
                    cadre=form.cadre_obj,
                    post=None if is_rank else form.post_obj,
                    rank=(data.get("rank") or "") if is_rank else "",
                    effective_on=data.get("effective_on") or default_date,
                )
            )
        return result

    def add_service_error(self, header: forms.Form, exc: ValidationError) -> None:
        """Show a service error on the header form and, when it names 「第 n 项」, on that row."""
        add_service_error(header, exc)
        active = self.active_forms()
        for message in exc.messages:
            match = _ITEM_NUMBER.match(message)
            if match and 1 <= int(match.group(1)) <= len(active):
                row = active[int(match.group(1)) - 1]
                row.add_error(None, message)

    def item_numbers(self) -> dict[int, int]:
        """Row index → the item number the service gives it (for 「第 n 项」 labels)."""
        return {self.forms.index(form): n for n, form in enumerate(self.active_forms(), start=1)}


# Typed as the subclass so views can call its helpers; formset_factory returns exactly that class.
ItemFormSet = cast(
    "type[BaseItemFormSet]",
    formset_factory(
        ItemForm,
        formset=BaseItemFormSet,
        extra=1,
        can_delete=True,
        max_num=200,
        absolute_max=200,
        validate_max=True,
    ),
)


class ReviewForm(StyledForm):
    """An officer's decision on a correction request."""

    decision = forms.ChoiceField(choices=[("approve", "采纳"), ("reject", "不采纳")])
    note = forms.CharField(label="审核意见", max_length=300, required=False)


class AuditFilterForm(StyledForm):
    """Filters of the audit-trail page (all optional)."""

    compact = True

    event_type = forms.CharField(label="事件类型", required=False, max_length=64)
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE_WIDGET)
    # A type-ahead over the cadres the trail names (``picker.js``): it sends the chosen cadre's id;
    # without JavaScript the typed name (or pinyin initials) is sent and matched instead.
    cadre_id = forms.CharField(
        label="干部",
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "data-picker": "cadres",
                "data-picker-url": reverse_lazy("web:audit-picker-cadres"),
                "placeholder": "姓名或拼音首字母",
            }
        ),
    )

    def __init__(self, *args: Any, event_types: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A select of the known types, yet any type found in the trail is accepted.
        self.fields["event_type"].widget = forms.Select(choices=[("", "全部"), *event_types])
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        """Refuse a range whose end is before its start; the cadre as an id (picked) or a name (typed)."""
        data = super().clean() or {}
        raw = str(data.get("cadre_id") or "").strip()
        picked = raw.isdigit() and 0 < len(raw) <= 18 and int(raw) > 0
        data["cadre_id"] = int(raw) if picked else None
        data["cadre_name"] = "" if picked else raw
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", MSG_DATE_RANGE)
        return data
