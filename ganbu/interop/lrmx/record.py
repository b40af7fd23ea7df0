"""One 任免审批表 as the file formats carry it: every element, as normalized text, plus the photo.

This is the contract between the readers and writers of ``.lrmx`` / ``.lrm`` (``ganbu.interop.lrmx``) and
the rest of the system (the mapping to a cadre, the preview, the printed form). It holds **text**, as the
files do (``docs/lrmx.md`` §11: the format stores display text, never codes): mapping text to the
registry's choices is the mapping's job, not the reader's.

Normalization (what a reader guarantees, and what a writer may assume):

- every text is stripped, NBSP (U+00A0) replaced by a space, and never ``None`` (empty is ``""``);
- dates that parse are in the canonical form: ``YYYYMM`` for months (birth, party, work, family birth,
  到龄年月) and ``YYYYMMDD`` for ``calc_date`` / ``fill_date`` when the day is known (``YYYYMM`` when the
  file gave only a month); a date that does not parse is kept as written, and the reader adds a warning;
- ``name`` has no internal whitespace (``张 三`` is padding for the printout, §4);
- ``id_number`` is upper-case (lower-case ``x`` occurs);
- multi-line texts (``resume``, ``rewards``, ``assessments``) use ``\\n`` line ends; ``<br/>``, CR, CRLF and a
  literal ``&#xD;`` are all line ends; trailing spaces of each line are removed, leading ones kept
  (a continuation line of the 简历 is indented);
- ``family`` holds only members with at least one non-empty field, in print order (§7);
- ``photo`` is the image's bytes (empty when there is none);
- ``extra`` keeps unknown top-level elements (name, text) in file order, so that they survive a round trip.

Two records are equal when every field the format carries is equal: that is the round-trip property
(``parse(write(record)) == record``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# The canonical element order of a 3.x file (docs/lrmx.md §3), with the record attribute each fills.
# The reform-era elements (到龄年月, 改革前任职年龄界限) sit where rmb_helper puts them.
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("XingMing", "name", "姓名"),
    ("XingBie", "gender", "性别"),
    ("ChuShengNianYue", "birth", "出生年月"),
    ("MinZu", "ethnicity", "民族"),
    ("JiGuan", "native_place", "籍贯"),
    ("ChuShengDi", "birthplace", "出生地"),
    ("RuDangShiJian", "party", "入党时间"),
    ("CanJiaGongZuoShiJian", "work_start", "参加工作时间"),
    ("DaoLingNianYue", "retirement_due", "到龄年月"),
    ("JianKangZhuangKuang", "health", "健康状况"),
    ("ZhuanYeJiShuZhiWu", "professional_title", "专业技术职务"),
    ("ShuXiZhuanYeYouHeZhuanChang", "specialty", "熟悉专业有何专长"),
    ("QuanRiZhiJiaoYu_XueLi", "ft_education", "全日制教育学历"),
    ("QuanRiZhiJiaoYu_XueWei", "ft_degree", "全日制教育学位"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ft_education_school", "全日制教育毕业院校系及专业（学历）"),
    ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ft_degree_school", "全日制教育毕业院校系及专业（学位）"),
    ("ZaiZhiJiaoYu_XueLi", "ip_education", "在职教育学历"),
    ("ZaiZhiJiaoYu_XueWei", "ip_degree", "在职教育学位"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ip_education_school", "在职教育毕业院校系及专业（学历）"),
    ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ip_degree_school", "在职教育毕业院校系及专业（学位）"),
    ("XianRenZhiWu", "current_post", "现任职务"),
    ("NiRenZhiWu", "proposed_post", "拟任职务"),
    ("NiMianZhiWu", "proposed_removal", "拟免职务"),
    ("JianLi", "resume", "简历"),
    ("JiangChengQingKuang", "rewards", "奖惩情况"),
    ("NianDuKaoHeJieGuo", "assessments", "年度考核结果"),
    ("RenMianLiYou", "reason", "任免理由"),
    ("JiaTingChengYuan", "family", "家庭主要成员及重要社会关系"),
    ("ChengBaoDanWei", "submitting_unit", "呈报单位"),
    ("GaiGeQianRenZhiNianLingJieXian", "pre_reform_age_limit", "改革前任职年龄界限"),
    ("JiSuanNianLingShiJian", "calc_date", "计算年龄时间"),
    ("TianBiaoShiJian", "fill_date", "填表时间"),
    ("TianBiaoRen", "filled_by", "填表人"),
    ("ShenFenZheng", "id_number", "身份证号"),
    ("ZhaoPian", "photo", "照片"),
    ("Version", "version", "版本"),
)

REFORM_ELEMENTS = frozenset({"DaoLingNianYue", "GaiGeQianRenZhiNianLingJieXian"})
"""Written only when the export asks for the post-2025 fields (and they have a value)."""

FAMILY_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("ChengWei", "relation", "称谓"),
    ("XingMing", "name", "姓名"),
    ("ChuShengRiQi", "birth", "出生年月"),
    ("ZhengZhiMianMao", "political_status", "政治面貌"),
    ("GongZuoDanWeiJiZhiWu", "work_unit_post", "工作单位及职务"),
)

LABELS: dict[str, str] = {attr: label for _, attr, label in ELEMENTS}
"""The Chinese label of each record attribute, for previews and error messages."""

DEFAULT_VERSION = "3.2.1.16"


@dataclass(frozen=True)
class FamilyMember:
    """One row of 家庭主要成员及重要社会关系 (an ``Item``): all text, ``birth`` as ``YYYYMM`` when known."""

    relation: str = ""
    name: str = ""
    birth: str = ""
    political_status: str = ""
    work_unit_post: str = ""

    def is_empty(self) -> bool:
        """Whether all five fields are empty (padding rows, which readers skip)."""
        # Spelled out (not dataclasses.fields): readers call this for every row of every file.
        return not (self.relation or self.name or self.birth or self.political_status or self.work_unit_post)


@dataclass(frozen=True)
class Record:
    """One 任免审批表: every element of the format as normalized text (see the module docstring)."""

    name: str = ""
    gender: str = ""
    birth: str = ""
    ethnicity: str = ""
    native_place: str = ""
    birthplace: str = ""
    party: str = ""
    work_start: str = ""
    retirement_due: str = ""
    health: str = ""
    professional_title: str = ""
    specialty: str = ""
    ft_education: str = ""
    ft_degree: str = ""
    ft_education_school: str = ""
    ft_degree_school: str = ""
    ip_education: str = ""
    ip_degree: str = ""
    ip_education_school: str = ""
    ip_degree_school: str = ""
    current_post: str = ""
    proposed_post: str = ""
    proposed_removal: str = ""
    resume: str = ""
    rewards: str = ""
    assessments: str = ""
    reason: str = ""
    family: tuple[FamilyMember, ...] = ()
    submitting_unit: str = ""
    pre_reform_age_limit: str = ""
    calc_date: str = ""
    fill_date: str = ""
    filled_by: str = ""
    id_number: str = ""
    photo: bytes = b""
    version: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())

    def is_empty(self) -> bool:
        """Whether the record holds nothing but a version (an empty template)."""
        return self == Record(version=self.version)

    def with_changes(self, **changes: object) -> Record:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Parsed:
    """What a reader returns: the record, and the quirks it met (Chinese, for the import report).

    ``warnings`` are things the reader tolerated but an officer may want to know (a recovering parse of
    malformed XML, a date it could not read and kept as written, an unknown element kept as it is).
    ``format`` is ``"lrmx"`` or ``"lrm"``.
    """

    record: Record
    format: str
    warnings: tuple[str, ...] = ()
