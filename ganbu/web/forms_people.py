"""Forms of the people pages: login, the cadre list filters, the cadre record and its parts, corrections.

Forms only parse and validate input; the services write. A ``ServiceError`` raised by a service
is put back onto the form with :func:`add_service_error`, so it shows next to the field it names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import units_for
from ganbu.registry import selectors
from ganbu.registry.choices import (
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    Education,
    Gender,
    ManagementAuthority,
    OrganizationalMeasure,
    PoliticalStatus,
    Rank,
    ReserveLevel,
    RewardSanctionKind,
    SanctionType,
)
from ganbu.registry.models import Cadre, Unit
from ganbu.registry.sanction_selectors import STATUS_CHOICES, SanctionFilter
from ganbu.registry.selectors import SORTS, CadreFilter
from ganbu.registry.services import CORRECTABLE_FIELDS
from ganbu.registry.services.sanctions import GOVERNMENT_VALUES
from ganbu.rules.dates import format_month
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.sanctions import sanction_type_from_name
from ganbu.web.forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm

MSG_MONTH = "请按“年.月”填写，例如 1998.07 或 1998-07。"
MSG_PHOTO_TOO_LARGE = "照片不能超过 5 MB。"
PHOTO_MAX_BYTES = 5 * 1024 * 1024

# 1998.07, 1998-07, 1998/07, 199807, 1998年7月, and a full date whose day is ignored.
_MONTH = re.compile(r"^(\d{4})\s*(?:[.\-/年]\s*)?(\d{1,2})\s*(?:月|[.\-/]\s*\d{1,2}\s*日?)?$")

# Common values for a relative's 政治面貌 (GB/T 4762 names); free text is still allowed.
FAMILY_POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
FAMILY_RELATIONS = (
    "父亲",
    "母亲",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "岳父",
    "岳母",
    "公公",
    "婆婆",
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
)


def parse_month(text: str) -> dt.date:
    """The first day of the month written as ``YYYY.MM`` (or ``YYYY-MM``, ``YYYYMM``, ``YYYY年M月``).

    Why: the 任免审批表 records 入党时间, 参加工作时间 and 简历 to the month (lrmx.md §4, §5), and
    officers type them as printed; a full date is accepted too and its day dropped.
    """
    match = _MONTH.match(text.strip())
    if not match:
        raise ValidationError(MSG_MONTH, code="month")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise ValidationError(MSG_MONTH, code="month")
    return dt.date(year, month, 1)


class MonthField(forms.Field):
    """A month typed as ``YYYY.MM`` (several spellings accepted), cleaned to the 1st of that month."""

    widget = forms.TextInput(attrs={"placeholder": "例如 1998.07", "inputmode": "numeric", "maxlength": 16})

    def to_python(self, value: Any) -> dt.date | None:
        """Parse the text; empty means no value."""
        if isinstance(value, dt.date):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        return parse_month(str(value))

    def prepare_value(self, value: Any) -> Any:
        """Show a stored date the way the form prints it (``YYYY.MM``)."""
        return format_month(value) if isinstance(value, dt.date) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed only when the month differs: a stored day within the same month is kept."""
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        if isinstance(initial, dt.date) and new is not None:
            return (initial.year, initial.month) != (new.year, new.month)
        return (initial or None) != new


# ---------------------------------------------------------------- login


class LoginForm(AuthenticationForm):
    """Username and password, with the Chinese message Django's default phrasing lacks."""

    error_messages = {
        "invalid_login": "用户名或密码不正确（注意区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control form-control-lg"
            field.error_messages["required"] = f"请输入{field.label}。"
            if name == "username":
                field.widget.attrs["autocomplete"] = "username"


# ---------------------------------------------------------------- cadre list filters

YES_NO = (("", "全部"), ("1", "是"), ("0", "否"))


def _blank(label: str, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class UnitPickerSelect(forms.Select):
    """A unit select rendering a few options, with a search box added by ``ganbu/unit-picker.js``.

    The script (a static file: the Content Security Policy refuses inline code) asks
    ``web:picker-units`` for the units matching what is typed and offers them in this select.
    Without JavaScript the select alone works: it lists the top two levels, the chosen unit and
    its children.
    """

    template_name = "web/widgets/unit_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """The select's context plus the picker's address."""
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-unit-picker"] = reverse("web:picker-units")
        return context


class UnitPickerField(forms.TypedChoiceField):
    """A unit select that renders a few units and finds the others by searching.

    ``set_units`` gets the units to render (``registry.selectors.unit_picker_options``: the top
    two levels of the user's scope and the chosen unit with its ancestors and children), so a
    page renders tens of options instead of every unit of a county or province (the whole list
    was half the cadre list's time at 319 units and seconds at 8,000, issue 13). Valid: exactly
    the units given — the chosen unit is among them only when it is in the user's scope.
    """

    widget = UnitPickerSelect

    def set_units(self, units: Iterable[Unit]) -> None:
        """Offer ``units`` (in tree order), indented by depth below the shallowest."""
        units = list(units)
        self._valid = {str(u.pk) for u in units}
        base = min((u.depth for u in units), default=0)
        self.choices = [("", "全部单位")] + [(u.pk, "　" * (u.depth - base) + u.name) for u in units]

    def valid_value(self, value: Any) -> bool:
        """A unit given (or none)."""
        return value in ("", None) or str(value) in getattr(self, "_valid", set())


class CadreFilterForm(StyledForm):
    """The cadre list's filter bar (a GET form: the filter state lives in the query string)."""

    compact = True

    q = forms.CharField(
        label="姓名或拼音首字母",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "如 张三 或 zs", "type": "search"}),
    )
    unit = UnitPickerField(label="单位（含下级）", required=False, coerce=int, empty_value=None)
    gender = forms.ChoiceField(label="性别", required=False, choices=_blank("全部", Gender.choices))
    age_min = forms.IntegerField(label="年龄从", required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label="至", required=False, min_value=0, max_value=120)
    age_on = forms.DateField(label="年龄计算日期", required=False, widget=DATE_WIDGET)
    rank = forms.ChoiceField(label="职级", required=False, choices=_blank("全部", Rank.choices))
    leadership = forms.ChoiceField(label="领导职务", required=False, choices=YES_NO)
    political_status = forms.ChoiceField(
        label="政治面貌", required=False, choices=_blank("全部", PoliticalStatus.choices)
    )
    education = forms.ChoiceField(label="学历", required=False, choices=_blank("全部", Education.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=_blank("全部", CadreStatus.choices))
    reserve = forms.ChoiceField(label="后备干部", required=False, choices=YES_NO)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)
    # The current holders of one post: the unit page's 「查看全部」 link for a post with many.
    post = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.set_units(units)

    def clean(self) -> dict[str, Any]:
        """Refuse a reversed age range instead of silently returning nothing."""
        data = super().clean() or {}
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", "年龄上限不能小于下限。")
        return data

    def to_filter(self) -> CadreFilter:
        """The selector's filter from the fields that are valid (an invalid one is ignored, and shown)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}

        def yes_no(name: str) -> bool | None:
            value = data.get(name, "")
            return None if value in ("", None) else value == "1"

        return CadreFilter(
            q=data.get("q") or "",
            unit_id=data.get("unit"),
            gender=data.get("gender") or "",
            age_min=data.get("age_min"),
            age_max=data.get("age_max") if "age_max" not in self.errors else None,
            age_on=data.get("age_on"),
            rank=data.get("rank") or "",
            leadership=yes_no("leadership"),
            political_status=data.get("political_status") or "",
            education=data.get("education") or "",
            status=data.get("status") or "",
            reserve=yes_no("reserve"),
            post_id=data.get("post"),
            sort=data.get("sort") or "name",
        )


# ---------------------------------------------------------------- the cadre record


class _PhotoLink:
    """The current photo as the file widget links it: through the scoped photo view, not /media/."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return "查看"


class PhotoInput(forms.ClearableFileInput):
    """A photo upload showing the current photo (via ``photo_url``) with a 清除 checkbox.

    Why: Django's widget links ``photo.url`` under MEDIA_URL, which is not served (photos are
    personal data and go out only through ``web:cadre-photo``, scoped to the user).
    """

    initial_text = "当前照片"
    input_text = "更换"
    clear_checkbox_label = "删除照片"
    photo_url = ""

    def format_value(self, value: Any) -> Any:
        """The current photo, linked through the scoped view."""
        shown = super().format_value(value)
        return _PhotoLink(self.photo_url) if shown and self.photo_url else shown


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit, labelled with indentation by depth so the select reads like the tree."""

    def label_from_instance(self, obj: Unit) -> str:
        """The unit's name, indented by its depth."""
        label = "　" * max(obj.depth - 1, 0) + obj.name
        return label if obj.is_active else f"{label}（停用）"


class CadreForm(StyledForm):
    """Every field of the 干部任免审批表 an officer types (lrmx.md §4), plus unit, status and authority.

    Derived fields (pinyin, rank, current post, highest education) are computed by the services.
    """

    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    gender = forms.ChoiceField(
        label="性别", choices=Gender.choices, error_messages={"required": "请选择性别。"}
    )
    birth_date = forms.DateField(
        label="出生日期", widget=DATE_WIDGET, error_messages={"required": "请填写出生日期。"}
    )
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    native_place = forms.CharField(
        label="籍贯", max_length=50, help_text="如 山东乐陵", error_messages={"required": "请填写籍贯。"}
    )
    birthplace = forms.CharField(label="出生地", max_length=50, required=False)
    id_number = forms.CharField(
        label="身份证号", max_length=25, required=False, help_text="18位；旧版15位号码会自动升级为18位。"
    )
    photo = forms.ImageField(
        label="照片",
        required=False,
        widget=PhotoInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text="JPEG 或 PNG，竖幅 4:5 为宜，不超过 5 MB。",
    )
    political_status = forms.ChoiceField(label="政治面貌", choices=PoliticalStatus.choices)
    party_join_date = MonthField(label="入党时间", required=False)
    democratic_party = forms.CharField(
        label="民主党派", max_length=50, required=False, help_text="如 民建；民盟（多个用“；”分隔）"
    )
    work_start_date = MonthField(label="参加工作时间", required=False)
    health = forms.CharField(label="健康状况", max_length=20, initial="健康")
    professional_title = forms.CharField(label="专业技术职务", max_length=50, required=False)
    specialty = forms.CharField(label="熟悉专业有何专长", max_length=200, required=False)
    ft_education = forms.ChoiceField(
        label="全日制教育学历", choices=_blank("无", Education.choices), required=False
    )
    ft_degree = forms.CharField(label="全日制教育学位", max_length=50, required=False)
    ft_school = forms.CharField(label="全日制毕业院校系及专业", max_length=200, required=False)
    ip_education = forms.ChoiceField(
        label="在职教育学历", choices=_blank("无", Education.choices), required=False
    )
    ip_degree = forms.CharField(label="在职教育学位", max_length=50, required=False)
    ip_school = forms.CharField(label="在职教育毕业院校系及专业", max_length=200, required=False)
    unit = UnitChoiceField(
        label="所在单位", queryset=Unit.objects.none(), error_messages={"required": "请选择所在单位。"}
    )
    status = forms.ChoiceField(label="状态", choices=CadreStatus.choices, initial=CadreStatus.SERVING)
    category = forms.ChoiceField(label="干部类别", choices=CadreCategory.choices)
    management_authority = forms.ChoiceField(
        label="干部管理权限", choices=ManagementAuthority.choices, initial=ManagementAuthority.ORG_DEPARTMENT
    )

    # Field groups as the page lays them out.
    SECTIONS = (
        (
            "基本情况",
            ("name", "gender", "birth_date", "ethnicity", "native_place", "birthplace", "id_number", "photo"),
        ),
        (
            "政治面貌与工作",
            ("political_status", "party_join_date", "democratic_party", "work_start_date", "health"),
        ),
        (
            "专业与学历学位",
            (
                "professional_title",
                "specialty",
                "ft_education",
                "ft_degree",
                "ft_school",
                "ip_education",
                "ip_degree",
                "ip_school",
            ),
        ),
        ("管理信息", ("unit", "status", "category", "management_authority")),
    )
    # Bootstrap column per field, so each education line (学历, 学位, 院校) reads as one row.
    COLUMNS = {
        "photo": "col-md-8",
        "specialty": "col-md-8",
        "ft_education": "col-md-3",
        "ft_degree": "col-md-3",
        "ft_school": "col-md-6",
        "ip_education": "col-md-3",
        "ip_degree": "col-md-3",
        "ip_school": "col-md-6",
        "unit": "col-md-8",
    }

    def __init__(
        self, *args: Any, user: User, show_id: bool = True, photo_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        photo_widget = self.fields["photo"].widget
        assert isinstance(photo_widget, PhotoInput)
        photo_widget.photo_url = photo_url
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = units_for(user).order_by("path")
        for name, field in self.fields.items():
            field.col_class = self.COLUMNS.get(name, "col-md-4")  # type: ignore[attr-defined]
        if not show_id:
            # Never render (or accept) an ID number for a role that may not see it.
            del self.fields["id_number"]

    @classmethod
    def initial_for(cls, cadre: Cadre) -> dict[str, Any]:
        """The form's initial values from a stored cadre."""
        initial = {name: getattr(cadre, name) for name in CadreForm.base_fields if name != "unit"}
        initial["unit"] = cadre.unit_id
        initial["id_number"] = cadre.id_number or ""
        return initial

    def clean_name(self) -> str:
        """A name without inner spaces (some files pad 张 三, lrmx.md §4)."""
        return "".join(str(self.cleaned_data["name"]).split())

    def clean_id_number(self) -> str:
        """Check the number by GB 11643-1999 here too, so its error shows with the other field errors."""
        raw = str(self.cleaned_data.get("id_number") or "").strip()
        if not raw:
            return ""
        try:
            return parse_id_number(raw, today=timezone.localdate()).value
        except IdNumberError as exc:
            raise ValidationError(str(exc), code="id_number") from None

    def clean_photo(self) -> Any:
        """Refuse oversized photos (the form stores what the printed 任免审批表 needs, ~100 KB)."""
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile) and photo.size and photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(MSG_PHOTO_TOO_LARGE, code="photo_size")
        return photo

    def cadre_data(self, *, changed_only: bool = False) -> dict[str, Any]:
        """The cleaned values the cadre services accept.

        ``changed_only`` keeps only what the user changed (an edit), so that a month typed for a
        stored mid-month date, or an untouched photo, is not rewritten. A cleared photo is ``""``.
        """
        names = [n for n in self.fields if n != "photo"]
        if changed_only:
            names = [n for n in names if n in self.changed_data]
        data = {name: self.cleaned_data[name] for name in names}
        photo = self.cleaned_data.get("photo")
        if photo is False:  # the 删除照片 box was ticked
            data["photo"] = ""
        elif isinstance(photo, UploadedFile):  # a new upload; otherwise the stored photo stays
            data["photo"] = photo
        return data


class CadreUpdateForm(CadreForm):
    """Editing a cadre: the record fields plus the reason recorded in the audit trail."""

    reason = forms.CharField(
        label="修改事由", max_length=300, required=False, help_text="记入审计日志，可不填。"
    )


# ---------------------------------------------------------------- parts of the record


class FamilyMemberForm(StyledForm):
    """One line of 家庭主要成员及重要社会关系 (lrmx.md §7)."""

    relation = forms.CharField(
        label="称谓",
        max_length=20,
        widget=forms.TextInput(attrs={"list": "family-relations"}),
        error_messages={"required": "请填写称谓。"},
    )
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    birth_date = MonthField(label="出生年月", required=False, help_text="已去世的可不填。")
    political_status = forms.CharField(
        label="政治面貌",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"list": "family-political-statuses"}),
    )
    work_unit_post = forms.CharField(
        label="工作单位及职务",
        max_length=200,
        required=False,
        help_text="无单位的写“XX县居民”，已去世的写“已去世”。",
    )
    related_cadre = forms.IntegerField(
        label="对应在册干部",
        required=False,
        min_value=1,
        widget=forms.TextInput(
            attrs={"data-picker": "cadres", "placeholder": "亲属也是在册干部时，输入姓名或拼音首字母选择"}
        ),
        help_text="用于回避审查，可不填。",
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=0, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.related_label = ""

    @classmethod
    def initial_for(cls, member: Any) -> dict[str, Any]:
        """The form's initial values from a stored family member."""
        initial = {name: getattr(member, name) for name in cls.base_fields if name != "related_cadre"}
        initial["related_cadre"] = member.related_cadre_id
        return initial

    def clean_related_cadre(self) -> Cadre | None:
        """The chosen cadre, looked up within the user's scope (an id outside it is refused)."""
        pk = self.cleaned_data.get("related_cadre")
        if not pk:
            return None
        try:
            cadre = selectors.cadre_get_for_user(user=self.user, cadre_id=pk)
        except Http404:
            raise ValidationError(MSG_CADRE_NOT_VISIBLE, code="cadre") from None
        self.related_label = f"{cadre.name}（{cadre.unit.name}）"
        return cadre

    def member_data(self) -> dict[str, Any]:
        """The cleaned values ``family_member_save`` accepts."""
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return data


class ResumeEntryForm(StyledForm):
    """One line of the 简历 (lrmx.md §5): from month to month (empty while current), what and where."""

    start_date = MonthField(label="起始年月", error_messages={"required": "请填写起始年月。"})
    end_date = MonthField(label="终止年月", required=False, help_text="至今的留空。")
    text = forms.CharField(
        label="经历",
        max_length=300,
        help_text="如 某某县财政局科员",
        error_messages={"required": "请填写经历。"},
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=0, required=False)

    def entry_data(self) -> dict[str, Any]:
        """The cleaned values ``resume_entry_save`` accepts."""
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return data


def _year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, f"{y}年度") for y in range(this_year, this_year - 30, -1)]


class AssessmentForm(StyledForm):
    """An annual assessment result (年度考核)."""

    year = forms.TypedChoiceField(label="年度", coerce=int, choices=_year_choices)
    grade = forms.ChoiceField(label="等次", choices=AssessmentGrade.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class RewardSanctionForm(StyledForm):
    """A reward or (for roles that see supervision records) a sanction.

    A sanction's 影响期 is computed by the service from its kind and decision date
    (``rules.sanctions``); the officer types an end only to state a different one (an override
    with its reason) or for kinds without a national number (诫勉, 组织处理).
    """

    kind = forms.ChoiceField(label="类别", choices=RewardSanctionKind.choices)
    sanction_type = forms.ChoiceField(
        label="处分种类",
        required=False,
        choices=_blank("（奖励不选）", SanctionType.choices),
        help_text="影响期按处分种类和决定日期依规计算。",
    )
    name = forms.CharField(
        label="名称",
        max_length=100,
        required=False,
        help_text="如 记三等功、嘉奖；处分不填则为处分种类。",
    )
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET)
    approving_body = forms.CharField(label="批准机关", max_length=100)
    effective_until = forms.DateField(
        label="影响期截止",
        required=False,
        widget=DATE_WIDGET,
        help_text="一般留空，由系统依规计算（影响期最后一天）；诫勉、组织处理按决定填写；奖励留空。",
    )
    period_override_reason = forms.CharField(
        label="调整理由",
        max_length=300,
        required=False,
        help_text="影响期截止与依规计算的不同时必填，如处分决定另有载明；记入审计日志。",
    )
    reason = forms.CharField(label="事由", max_length=300, required=False)
    combined_kinds = forms.CharField(
        label="同时处理的各违法行为",
        max_length=200,
        required=False,
        help_text="几个违法行为同时处理时，依次填写各自应给予的处分，用顿号分隔，如：记过、记过、警告。"
        "执行其中最重的处分（政务处分法第十五条）。",
    )
    combined_months = forms.IntegerField(
        label="确定的处分期月数",
        required=False,
        min_value=1,
        max_value=48,
        help_text="多个相同处分合并时，在一个处分期以上、各处分期之和以下确定，最长48个月。",
    )
    organizational_measure = forms.ChoiceField(
        label="组织处理方式",
        required=False,
        choices=_blank("（非组织处理不选）", OrganizationalMeasure.choices),
        help_text="免职、降职的影响期按本县规定的月数计算；其他组织处理按决定填写影响期截止。",
    )
    known_on = forms.DateField(
        label="知道处理决定之日",
        required=False,
        widget=DATE_WIDGET,
        help_text="一般为决定送达之日；复核、申诉期限由此起算。",
    )

    SANCTION_ONLY = (
        "sanction_type",
        "effective_until",
        "period_override_reason",
        "combined_kinds",
        "combined_months",
        "organizational_measure",
        "known_on",
    )

    def __init__(self, *args: Any, allow_sanction: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_sanction:
            # A role that may not read sanctions does not record them either.
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [(RewardSanctionKind.REWARD.value, RewardSanctionKind.REWARD.label)]
            for name in self.SANCTION_ONLY:
                del self.fields[name]

    def clean_combined_kinds(self) -> list[str]:
        """The typed kinds (``记过、记过``) as kind values; a name that is no 政务处分 is refused."""
        text = str(self.cleaned_data.get("combined_kinds") or "")
        names = [n for n in re.split(r"[、,，;；\s]+", text) if n]
        kinds = [sanction_type_from_name(n).value for n in names]
        unknown = [n for n, k in zip(names, kinds, strict=True) if k not in GOVERNMENT_VALUES]
        if unknown:
            raise ValidationError(
                f"“{'、'.join(unknown)}”不是政务处分（警告、记过、记大过、降级、撤职、开除）；"
                "党纪处分和组织处理不按此合并。"
            )
        return kinds

    def clean(self) -> dict[str, Any]:
        """Blank optional choices become absent values the service reads as "none"."""
        data = super().clean() or {}
        if "organizational_measure" in data and not data["organizational_measure"]:
            data["organizational_measure"] = ""
        return data


class SanctionFollowupForm(StyledForm):
    """A sanction's later dates (送达, 复核, 申诉: DISC-16) and a new violation in its period (DISC-04)."""

    known_on = forms.DateField(label="知道处理决定之日", required=False, widget=DATE_WIDGET)
    review_received_on = forms.DateField(label="接到复核申请书之日", required=False, widget=DATE_WIDGET)
    review_decision_received_on = forms.DateField(
        label="接到复核决定之日", required=False, widget=DATE_WIDGET
    )
    appeal_accepted_on = forms.DateField(label="受理申诉之日", required=False, widget=DATE_WIDGET)
    new_violation_pending = forms.BooleanField(
        label="处分期内又有应受处分的违法行为，尚待处理",
        required=False,
        help_text="勾选后期满不自动解除（政务处分法第二十六条）；登记新的处分后自动取消。",
    )
    reason = forms.CharField(label="说明", max_length=300, required=False)


class ReserveForm(StyledForm):
    """Putting a cadre into the reserve pool (后备干部)."""

    level = forms.ChoiceField(label="后备层次", choices=ReserveLevel.choices)
    source = forms.CharField(label="来源", max_length=100, help_text="如 2002年女干部公开选拔前30名")
    start_date = forms.DateField(label="入库日期", widget=DATE_WIDGET)


# ---------------------------------------------------------------- self-service


def correctable_choices() -> list[tuple[str, str]]:
    """The fields a cadre may ask to correct, with their Chinese names."""
    fields = [(name, Cadre._meta.get_field(name)) for name in CORRECTABLE_FIELDS]
    return [(name, str(getattr(field, "verbose_name", name))) for name, field in fields]


class CorrectionForm(StyledForm):
    """A cadre's request to correct one field of their own record."""

    field_name = forms.ChoiceField(label="要更正的项目", choices=correctable_choices)
    proposed_value = forms.CharField(
        label="更正为", max_length=300, error_messages={"required": "请填写更正后的内容。"}
    )
    explanation = forms.CharField(
        label="说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如依据的证件、文件。",
    )


class SanctionFilterForm(StyledForm):
    """The filters of the county register of sanctions (``/sanctions/``); all optional."""

    status = forms.ChoiceField(label="状态", required=False, choices=_blank("全部", STATUS_CHOICES))
    unit = UnitPickerField(label="单位（含下级）", required=False, coerce=int, empty_value=None)
    sanction_type = forms.ChoiceField(
        label="种类", required=False, choices=_blank("全部", SanctionType.choices)
    )
    q = forms.CharField(label="姓名", max_length=30, required=False)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.set_units(units)

    def to_filter(self) -> SanctionFilter:
        """The valid filters as a :class:`SanctionFilter` (invalid ones are shown and ignored)."""
        data = getattr(self, "cleaned_data", {})
        return SanctionFilter(
            status=data.get("status") or "",
            unit_id=data.get("unit"),
            sanction_type=data.get("sanction_type") or "",
            q=data.get("q") or "",
        )
