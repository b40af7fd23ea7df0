"""The columns of the cadre import template (干部信息): header, aliases, kind of value, choices, notes.

One table drives the template (header, drop-down lists, the 说明 sheet), the reader (headers
matched by name, cells parsed by kind) and the preview (Chinese labels of the differences). Each
column is one field of the registry's ``Cadre`` that ``registry.services.cadre_create`` /
``cadre_update`` accept, except the two read-only ones (现任职务, 现职级), which the registry
derives from 任免文件 and the import never writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ganbu.registry.choices import (
    CadreCategory,
    CadreStatus,
    Education,
    Gender,
    ManagementAuthority,
    PoliticalStatus,
)


class ColumnKind(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    ID_NUMBER = "id_number"
    DATE = "date"
    MONTH = "month"
    CHOICE = "choice"
    UNIT = "unit"
    READ_ONLY = "read_only"


@dataclass(frozen=True)
class Column:
    """One column: the ``Cadre`` field it fills (``key``), its header, the names a header may use.

    ``choices`` are (code, label) pairs: cells hold the label (or one of ``synonyms``), the field the
    code. ``required``: a new cadre must have it. ``default``: what a new cadre gets when the cell
    is blank (the model's default). ``max_length`` as the model's.
    """

    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    default: str = ""
    max_length: int = 0
    width: int = 14
    note: str = ""
    example: str = ""

    def label_of(self, code: str) -> str:
        """The Chinese label of a choice's code (the code itself when unknown)."""
        return dict(self.choices).get(code, code)


def _pairs(choices: type) -> tuple[tuple[str, str], ...]:
    """(code, label) of a TextChoices class."""
    return tuple((str(c.value), str(c.label)) for c in choices)  # type: ignore[attr-defined]


_EDUCATION_SYNONYMS: dict[str, str] = {
    "本科": Education.UNIVERSITY,
    "大学本科": Education.UNIVERSITY,
    "硕士研究生": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "研究生（硕士）": Education.POSTGRADUATE,
    "研究生（博士）": Education.POSTGRADUATE,
    "大学专科": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "中等专科": Education.TECHNICAL,
    "高中": Education.HIGH_SCHOOL,
    "初中": Education.HIGH_SCHOOL,
}
_MONTH_NOTE = "年月，如 1998.07（也可填 1998-07、1998年7月）；本列为文本格式。"

COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "姓名",
        required=True,
        max_length=50,
        width=10,
        note="干部姓名，中间的空格会去掉。",
        example="张三",
    ),
    Column(
        "gender",
        "性别",
        ColumnKind.CHOICE,
        required=True,
        choices=_pairs(Gender),
        width=6,
        note="男或女；有身份证号的须与号码一致。",
        example="男",
    ),
    Column(
        "id_number",
        "身份证号",
        ColumnKind.ID_NUMBER,
        aliases=("身份证号码", "公民身份号码", "身份证"),
        width=22,
        note="18 位（旧版 15 位会升级为 18 位），校验码须正确。本列为文本格式，请勿改为数字，"
        "否则末几位会丢失。系统中已有此号码的，本行更新该干部；没有的，新增。",
        example="110101198001011234",
    ),
    Column(
        "birth_date",
        "出生日期",
        ColumnKind.DATE,
        required=True,
        aliases=("出生年月日",),
        width=12,
        note="日期，如 1980-01-01（Excel 日期或文字均可）；有身份证号的须与号码一致。",
        example="1980-01-01",
    ),
    Column(
        "ethnicity",
        "民族",
        default="汉族",
        max_length=20,
        width=8,
        note="如 汉族；不填的新增为汉族。",
        example="汉族",
    ),
    Column(
        "native_place",
        "籍贯",
        required=True,
        max_length=50,
        width=12,
        note="如 山东乐陵。",
        example="山东乐陵",
    ),
    Column("birthplace", "出生地", max_length=50, width=12, note="如 山东乐陵。", example="山东乐陵"),
    Column(
        "political_status",
        "政治面貌",
        ColumnKind.CHOICE,
        choices=_pairs(PoliticalStatus),
        synonyms={
            "党员": PoliticalStatus.CPC,
            "中国共产党党员": PoliticalStatus.CPC,
            "预备党员": PoliticalStatus.CPC_PROBATIONARY,
            "团员": PoliticalStatus.LEAGUE,
            "无党派": PoliticalStatus.NON_PARTY,
        },
        default=PoliticalStatus.CPC,
        width=12,
        note="从下拉列表选择；不填的新增为中共党员。",
        example="中共党员",
    ),
    Column(
        "party_join_date",
        "入党时间",
        ColumnKind.MONTH,
        aliases=("入党年月",),
        width=10,
        note=_MONTH_NOTE,
        example="2002.06",
    ),
    Column("democratic_party", "民主党派", max_length=50, width=10, note="如 民建；多个用“；”分隔。"),
    Column(
        "work_start_date",
        "参加工作时间",
        ColumnKind.MONTH,
        aliases=("参加工作年月",),
        width=12,
        note=_MONTH_NOTE,
        example="2002.07",
    ),
    Column(
        "health",
        "健康状况",
        default="健康",
        max_length=20,
        width=10,
        note="如 健康；不填的新增为健康。",
        example="健康",
    ),
    Column("professional_title", "专业技术职务", max_length=50, width=14, note="如 高级工程师。"),
    Column("specialty", "熟悉专业有何专长", aliases=("专长",), max_length=200, width=16),
    Column(
        "ft_education",
        "全日制学历",
        ColumnKind.CHOICE,
        choices=_pairs(Education),
        synonyms=_EDUCATION_SYNONYMS,
        aliases=("全日制教育学历",),
        width=11,
        note="从下拉列表选择（研究生、大学、大专、中专、高中及以下）。",
        example="大学",
    ),
    Column(
        "ft_degree",
        "全日制学位",
        aliases=("全日制教育学位",),
        max_length=50,
        width=11,
        note="如 法学学士。",
        example="法学学士",
    ),
    Column(
        "ft_school",
        "全日制院校及专业",
        aliases=("全日制毕业院校系及专业", "全日制毕业院校", "全日制院校"),
        max_length=200,
        width=22,
        note="如 山东大学法学院法学专业。",
        example="山东大学法学院法学专业",
    ),
    Column(
        "ip_education",
        "在职学历",
        ColumnKind.CHOICE,
        choices=_pairs(Education),
        synonyms=_EDUCATION_SYNONYMS,
        aliases=("在职教育学历",),
        width=10,
        note="从下拉列表选择。",
    ),
    Column("ip_degree", "在职学位", aliases=("在职教育学位",), max_length=50, width=10),
    Column(
        "ip_school",
        "在职院校及专业",
        aliases=("在职教育毕业院校系及专业", "在职毕业院校", "在职院校"),
        max_length=200,
        width=22,
    ),
    Column(
        "unit",
        "所在单位",
        ColumnKind.UNIT,
        required=True,
        aliases=("单位", "工作单位", "单位名称"),
        width=24,
        note="从下拉列表选择，或填单位代码；只能是您管理范围内的单位。重名的单位按列表中带括号的写法填写。",
    ),
    Column(
        "status",
        "状态",
        ColumnKind.CHOICE,
        choices=_pairs(CadreStatus),
        aliases=("干部状态",),
        default=CadreStatus.SERVING,
        width=8,
        note="不填的新增为在职。",
        example="在职",
    ),
    Column(
        "category",
        "干部类别",
        ColumnKind.CHOICE,
        choices=_pairs(CadreCategory),
        default=CadreCategory.PARTY_GOVERNMENT,
        width=16,
        note="不填的新增为党政机关干部。",
        example="党政机关干部",
    ),
    Column(
        "management_authority",
        "干部管理权限",
        ColumnKind.CHOICE,
        choices=_pairs(ManagementAuthority),
        aliases=("管理权限",),
        default=ManagementAuthority.ORG_DEPARTMENT,
        width=20,
        note="不填的新增为县委组织部管理。",
        example="县委组织部管理",
    ),
    Column(
        "current_post_text",
        "现任职务",
        ColumnKind.READ_ONLY,
        width=24,
        note="仅供查看：现任职务由任免文件产生，导入时不读取、不修改。",
    ),
    Column(
        "rank",
        "现职级",
        ColumnKind.READ_ONLY,
        aliases=("职级",),
        width=10,
        note="仅供查看：职级由任免文件（确定职级）产生，导入时不读取、不修改。",
    ),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
WRITABLE: tuple[Column, ...] = tuple(c for c in COLUMNS if c.kind is not ColumnKind.READ_ONLY)


def _normal(text: str) -> str:
    """A header's text compared without spaces, a required-marker ``*`` and full-width forms."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).strip("*＊")


HEADER_NAMES: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.aliases):
        HEADER_NAMES[_normal(_name)] = _column


def column_for_header(text: str) -> Column | None:
    """The column a header cell names, or ``None``."""
    return HEADER_NAMES.get(_normal(text))
