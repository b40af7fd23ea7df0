"""Request and response schemas of the REST API.

Inputs are strict (unknown fields are refused, texts are length-limited and may not contain NUL,
ids and dates are bounded) so that malformed input is a 422 here rather than a database error
later. Outputs carry codes (``gender: "F"``); the OpenAPI schema lists the codes of each input.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints

from ganbu.core.access import Sensitive, may_see
from ganbu.core.inputs import check_date, require_iso_date_text
from ganbu.registry.choices import (
    CadreCategory,
    CadreStatus,
    DocumentItemKind,
    Education,
    Gender,
    ManagementAuthority,
    PoliticalStatus,
    PostKind,
    Rank,
)
from ganbu.registry.selectors import SORTS
from ganbu.rules.dates import age_on

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    """Refuse NUL characters: PostgreSQL cannot store them in text columns."""
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\x00）。")
    return value


def _reasonable_date(value: dt.date) -> dt.date:
    """Dates of a county's cadre records lie between 1900 and 2100; others are typing errors.

    The same rule as every date the web UI reads (``ganbu.core.inputs``).
    """
    return check_date(value)


def _id_number_chars(value: str) -> str:
    """Only ASCII digits and X: other Unicode "digits" (全角, superscripts) are not ID numbers."""
    if value and not all(c in "0123456789Xx" or c.isspace() for c in value):
        raise ValueError("身份证号只能由半角数字和 X 组成。")
    return value


def _not_future(value: dt.date) -> dt.date:
    """A birth date in the future is a typing error (and would make ages negative)."""
    if value > timezone.localdate():
        raise ValueError("出生日期不能晚于今天。")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Dates are YYYY-MM-DD text between 1900 and 2100 (the rule of every date the system reads).
Date = Annotated[dt.date, BeforeValidator(require_iso_date_text), AfterValidator(_reasonable_date)]
BirthDate = Annotated[
    dt.date,
    BeforeValidator(require_iso_date_text),
    AfterValidator(_reasonable_date),
    AfterValidator(_not_future),
]
Text20 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20), AfterValidator(_no_nul)]
Text50 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50), AfterValidator(_no_nul)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), AfterValidator(_no_nul)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_nul)]
Text2000 = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_no_nul)]
Name50 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), AfterValidator(_no_nul)
]
Name100 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_no_nul)
]
Name200 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_no_nul)
]
Number60 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), AfterValidator(_no_nul)
]
IdNumberText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_id_number_chars)
]
if TYPE_CHECKING:
    OptionalEducation = str
    OptionalRank = str
    SortKey = str
else:
    # One Literal each (not ``Enum | Literal[""]``) so a wrong value gives one error on the field.
    OptionalEducation = Literal[("", *Education.values)]
    OptionalRank = Literal[("", *Rank.values)]
    SortKey = Literal[tuple(SORTS)]


def not_sent() -> Any:
    """Default of a PATCH field that may not be null: ``None`` here only means "not sent".

    The declared type has no ``None``, so an explicit ``null`` fails validation, while an
    omitted field keeps this unvalidated default and is dropped by ``exclude_unset``.
    """
    return Field(None)


class InputSchema(Schema):
    """Base of request bodies: unknown fields are an error, choices arrive as plain codes."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# ---------------------------------------------------------------- shared


class Ref(Schema):
    """A related object by id and name."""

    id: int
    name: str


class ErrorOut(Schema):
    """An error: ``detail`` in Chinese; for 422 also ``errors`` per field."""

    detail: str
    errors: dict[str, list[str]] | None = None


# ---------------------------------------------------------------- units and posts


class UnitOut(Schema):
    """A unit in the list, with its number of serving cadres."""

    id: int
    name: str
    short_name: str
    code: str
    parent_id: int | None
    kind: str
    level: str
    depth: int
    sort_order: int
    is_active: bool
    cadre_count: int = Field(description="在职干部人数")


class QuotaOut(Schema):
    """职数 of one post kind: approved, filled, vacant (negative when over quota)."""

    kind: str
    kind_label: str
    quota: int
    filled: int
    vacancies: int


class UnitDetailOut(Schema):
    """One unit with its quotas (职数) filled and vacant."""

    id: int
    name: str
    short_name: str
    code: str
    parent: Ref | None
    kind: str
    level: str
    depth: int
    sort_order: int
    is_active: bool
    quotas: list[QuotaOut]

    @staticmethod
    def resolve_quotas(obj: Any) -> list[Any]:
        """The quota rows the endpoint attached (``selectors.unit_quotas``)."""
        rows: list[Any] = obj.quota_rows
        return rows


class PostOut(Schema):
    """A post (职位) in a unit."""

    id: int
    unit: Ref
    title: str
    kind: str
    rank: str
    is_leadership: bool
    counts_toward_quota: bool
    sort_order: int
    is_active: bool


class PostIn(InputSchema):
    """A new post in a unit the user may edit."""

    unit_id: Id
    title: Name100
    kind: PostKind
    rank: Rank
    is_leadership: bool = True
    counts_toward_quota: bool = True
    sort_order: int = Field(0, ge=0, le=2_147_483_647)
    is_active: bool = True


# ---------------------------------------------------------------- cadres


def _today(context: Any) -> dt.date:
    """Today, read once per response: the serialization context (one dict per response) keeps it.

    ``timezone.localdate()`` costs a few microseconds, which per row was a tenth of a page's writing.
    """
    today = context.get("today") if isinstance(context, dict) else None
    if today is None:
        today = timezone.localdate()
        if isinstance(context, dict):
            context["today"] = today
    return today


class CadreOut(Schema):
    """A cadre in lists. ``id_number`` is null unless the user's role may see ID numbers."""

    id: int
    name: str
    name_pinyin: str
    gender: str
    birth_date: dt.date
    age: int | None = Field(description="今天的周岁年龄")
    unit: Ref
    rank: str
    is_leadership: bool
    current_post_text: str
    political_status: str
    highest_education: str
    status: str
    category: str
    management_authority: str
    is_reserve: bool
    id_number: str | None = Field(description="身份证号；无权查看时为 null")

    # The list reads ``values()`` rows (dicts, ``CADRE_LIST_COLUMNS``), the record a model: the
    # resolvers take either.

    @staticmethod
    def resolve_unit(obj: Any) -> Any:
        """The unit: the model's, or a list row's ``unit__id`` and ``unit__name``."""
        if isinstance(obj, dict):
            return {"id": obj["unit__id"], "name": obj["unit__name"]}
        return obj.unit

    @staticmethod
    def resolve_age(obj: Any, context: Any = None) -> int | None:
        """Age today; ``None`` for a (mistyped) birth date in the future rather than an error."""
        today = _today(context)
        born: dt.date = obj["birth_date"] if isinstance(obj, dict) else obj.birth_date
        return age_on(born, today) if born <= today else None

    @staticmethod
    def resolve_id_number(obj: Any, context: Any) -> str | None:
        """The ID number only for users allowed to see it (``Cap.SENSITIVE_ID``, or one's own)."""
        user = context["request"].auth
        if isinstance(obj, dict):
            cadre_id, number = obj["id"], obj["id_number"]
        else:
            cadre_id, number = obj.pk, obj.id_number
        return number if may_see(user, Sensitive.ID_NUMBER, cadre_id) else None


# The columns a cadre list row is written from (``CadreOut``) and those its sorts read (a cursor
# holds the boundary row's sort values). The list reads them with ``values()``: no model instance
# per row, nor the rest of the record and unit, which made a 200-row page three times cheaper to
# fetch. A field added to ``CadreOut`` belongs here too (the byte-for-byte test of the lists fails
# otherwise).
CADRE_LIST_COLUMNS = (
    *("id", "name", "name_pinyin", "gender", "birth_date", "rank", "is_leadership"),
    *("current_post_text", "political_status", "highest_education", "status", "category"),
    *("management_authority", "is_reserve", "id_number", "unit__id", "unit__name"),
    *("rank_order", "unit__path", "updated_at"),
)


class CadreDetailOut(CadreOut):
    """One cadre's record (the fields of the 任免审批表 except photo and family)."""

    ethnicity: str
    native_place: str
    birthplace: str
    party_join_date: dt.date | None
    democratic_party: str
    work_start_date: dt.date | None
    health: str
    professional_title: str
    specialty: str
    ft_education: str
    ft_degree: str
    ft_school: str
    ip_education: str
    ip_degree: str
    ip_school: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CadreQuery(Schema):
    """Filters of ``GET /cadres`` (the same as the web list)."""

    q: Text50 = Field("", description="姓名，或拼音首字母/全拼（zs 可查到张三）")
    unit: Id | None = Field(None, description="单位 id（含下级单位）")
    gender: Gender | None = None
    age_min: int | None = Field(None, ge=0, le=120, description="最小年龄（周岁）")
    age_max: int | None = Field(None, ge=0, le=120, description="最大年龄（周岁）")
    age_on: Date | None = Field(None, description="计算年龄的日期，默认今天")
    rank: Rank | None = None
    leadership: bool | None = None
    political_status: PoliticalStatus | None = None
    education: Education | None = Field(None, description="最高学历")
    status: CadreStatus | None = None
    reserve: bool | None = Field(None, description="是否后备干部")
    sort: SortKey = Field("name", description="排序：name, -name, age, -age, rank, unit, updated")


class CadreIn(InputSchema):
    """A new cadre. The ID number is checked against birth date and gender (GB 11643-1999)."""

    name: Name50
    gender: Gender
    birth_date: BirthDate
    native_place: Name50
    unit_id: Id
    ethnicity: Text20 = "汉族"
    birthplace: Text50 = ""
    political_status: PoliticalStatus = PoliticalStatus.CPC
    party_join_date: Date | None = None
    democratic_party: Text50 = ""
    work_start_date: Date | None = None
    health: Text20 = "健康"
    professional_title: Text50 = ""
    specialty: Text200 = ""
    ft_education: OptionalEducation = ""
    ft_degree: Text50 = ""
    ft_school: Text200 = ""
    ip_education: OptionalEducation = ""
    ip_degree: Text50 = ""
    ip_school: Text200 = ""
    id_number: IdNumberText | None = None
    status: CadreStatus = CadreStatus.SERVING
    category: CadreCategory = CadreCategory.PARTY_GOVERNMENT
    management_authority: ManagementAuthority = ManagementAuthority.ORG_DEPARTMENT
    reason: Text200 = Field("", description="事由（记入审计日志）")


class CadrePatch(InputSchema):
    """Changes to a cadre: only the fields sent are changed.

    Fields that cannot be empty default to ``None`` only to mean "not sent": sending ``null``
    for them is a validation error, not a request to blank them.
    """

    name: Name50 = not_sent()
    gender: Gender = not_sent()
    birth_date: BirthDate = not_sent()
    native_place: Name50 = not_sent()
    unit_id: Id = not_sent()
    ethnicity: Text20 = not_sent()
    birthplace: Text50 = not_sent()
    political_status: PoliticalStatus = not_sent()
    party_join_date: Date | None = None
    democratic_party: Text50 = not_sent()
    work_start_date: Date | None = None
    health: Text20 = not_sent()
    professional_title: Text50 = not_sent()
    specialty: Text200 = not_sent()
    ft_education: OptionalEducation = not_sent()
    ft_degree: Text50 = not_sent()
    ft_school: Text200 = not_sent()
    ip_education: OptionalEducation = not_sent()
    ip_degree: Text50 = not_sent()
    ip_school: Text200 = not_sent()
    id_number: IdNumberText | None = None
    status: CadreStatus = not_sent()
    category: CadreCategory = not_sent()
    management_authority: ManagementAuthority = not_sent()
    reason: Text200 = Field("", description="事由（记入审计日志）")


class FamilyMemberOut(Schema):
    """A family member or important social relation (家庭主要成员及重要社会关系)."""

    id: int
    relation: str
    name: str
    birth_date: dt.date | None
    political_status: str
    work_unit_post: str
    related_cadre_id: int | None


# ---------------------------------------------------------------- tenures and documents


class TenureOut(Schema):
    """A tenure: who held which post from when to when, by which documents."""

    id: int
    cadre: Ref
    post: Ref
    unit: Ref
    start_date: dt.date
    end_date: dt.date | None
    start_document: str | None = Field(description="任职文件文号")
    end_document: str | None = Field(description="免职文件文号")

    @staticmethod
    def resolve_post(obj: Any) -> dict[str, Any]:
        """The post by id and title."""
        return {"id": obj.post_id, "name": obj.post.title}

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any]:
        """The post's unit (loaded with the post)."""
        return {"id": obj.post.unit_id, "name": obj.post.unit.name}

    @staticmethod
    def resolve_start_document(obj: Any) -> str | None:
        """Number of the appointing document."""
        return obj.start_item.document.number if obj.start_item_id else None

    @staticmethod
    def resolve_end_document(obj: Any) -> str | None:
        """Number of the removing document, if the tenure has ended."""
        return obj.end_item.document.number if obj.end_item_id else None


class CareerTenureOut(TenureOut):
    """A tenure in a cadre's career with years in post (probation counted) and whether current."""

    years: float = Field(description="任职年限（年，含试用期）")
    is_current: bool


class DocumentOut(Schema):
    """An appointment/removal document (任免文件)."""

    id: int
    number: str
    title: str
    issued_on: dt.date
    issuing_body: str
    note: str
    created_at: dt.datetime


class DocumentItemOut(Schema):
    """One item of a document."""

    id: int
    kind: str
    cadre: Ref
    post: Ref | None
    unit: Ref | None
    rank: str
    effective_on: dt.date
    sort_order: int

    @staticmethod
    def resolve_post(obj: Any) -> dict[str, Any] | None:
        """The post by id and title (none for a rank item)."""
        return {"id": obj.post_id, "name": obj.post.title} if obj.post_id else None

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any] | None:
        """The post's unit (none for a rank item)."""
        return {"id": obj.post.unit_id, "name": obj.post.unit.name} if obj.post_id else None


class DocumentDetailOut(DocumentOut):
    """A document with the items the user may see."""

    items: list[DocumentItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        """The items the endpoint attached (``selectors.document_items_for_user``)."""
        items: list[Any] = obj.visible_items
        return items


class DocumentItemIn(InputSchema):
    """One item to issue: appoint/remove need ``post_id``; ``rank`` needs ``rank``."""

    kind: DocumentItemKind
    cadre_id: Id
    post_id: Id | None = None
    rank: OptionalRank = ""
    effective_on: Date


class DocumentIn(InputSchema):
    """A document to record and apply; any failing item rejects the whole document."""

    number: Number60 = Field(description="文号")
    title: Name200
    issued_on: Date
    issuing_body: Name100 = "中共示例县委"
    note: Text2000 = ""
    items: list[DocumentItemIn] = Field(min_length=1, max_length=500)
