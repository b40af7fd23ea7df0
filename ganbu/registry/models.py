"""Registry models: units, posts, quotas, cadres and everything recorded about a cadre.

Writes go through ``ganbu.registry.services`` (audit events, derived fields); reads through
``ganbu.registry.selectors`` (data scope).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When

from ganbu.rules.dates import age_on, format_month
from ganbu.rules.sanctions import ImpactPeriod, impact_period

from .choices import (
    RANK_ORDER,
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    CorrectionStatus,
    DocumentItemKind,
    Education,
    Gender,
    ManagementAuthority,
    OrganizationalMeasure,
    PoliticalStatus,
    PostKind,
    Rank,
    ReserveLevel,
    RewardSanctionKind,
    SanctionType,
    UnitKind,
    UnitLevel,
)
from .search import Tripled


class Unit(models.Model):
    """A unit in the county's tree: county organs, towns, public institutions, enterprises.

    ``path`` is a materialised path of zero-padded ids (``000001.000007.``) so that "this unit and
    everything under it" is one indexed ``startswith`` query; services keep it in step with
    ``parent``.
    """

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("单位代码", max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    level = models.CharField("机构级别", max_length=20, choices=UnitLevel.choices, default=UnitLevel.SECTION)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        """This unit's path, from its parent's (the parent's path must be current)."""
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.pk:06d}."


class Post(models.Model):
    """A post (职位) in a unit: title, kind, rank, leadership or not, counts toward the quota or not."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("职务名称", max_length=100)
    kind = models.CharField("职位类别", max_length=20, choices=PostKind.choices)
    rank = models.CharField("职级", max_length=20, choices=Rank.choices)
    is_leadership = models.BooleanField("领导职务", default=True)
    counts_toward_quota = models.BooleanField("占用职数", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "职位"
        verbose_name_plural = "职位"
        ordering = ["unit__path", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.title}"


class Quota(models.Model):
    """职数: how many posts of a kind a unit may fill. Vacancies = quota − filled."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField("职位类别", max_length=20, choices=PostKind.choices)
    number = models.PositiveSmallIntegerField("核定职数")

    class Meta:
        verbose_name = "职数"
        verbose_name_plural = "职数"
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="quota_unique_unit_kind")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_kind_display()} {self.number}"


class Cadre(models.Model):
    """A cadre: every field of the 干部任免审批表 (lrmx.md §4) plus status, category and authority.

    ``unit`` is the unit the cadre belongs to (所在单位), which drives data scope. ``rank``,
    ``is_leadership``, ``current_post_text``, ``highest_education`` and the pinyin fields are
    derived; services recompute them from tenures, rank records and education in the same
    transaction that changes those, so that lists filter and sort on indexed columns.
    """

    name = models.CharField("姓名", max_length=50, db_index=True)
    name_pinyin = models.CharField("姓名拼音", max_length=200, editable=False, default="", db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, editable=False, default="", db_index=True)
    # What name searches read on PostgreSQL: the name with each character tripled, under a trigram
    # index that then serves one- and two-character terms too (ganbu.registry.search). Kept by the
    # database, so every way of writing a cadre (services, COPY, a SQL console) keeps it right.
    name_search = models.GeneratedField(
        expression=Tripled("name"),
        output_field=models.CharField(max_length=150),
        db_persist=True,
        verbose_name="姓名检索",
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期", db_index=True)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    native_place = models.CharField("籍贯", max_length=50)
    birthplace = models.CharField("出生地", max_length=50, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.CPC, db_index=True
    )
    party_join_date = models.DateField("入党时间", null=True, blank=True)
    democratic_party = models.CharField("民主党派", max_length=50, blank=True)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    health = models.CharField("健康状况", max_length=20, default="健康")
    professional_title = models.CharField("专业技术职务", max_length=50, blank=True)
    specialty = models.CharField("熟悉专业有何专长", max_length=200, blank=True)
    ft_education = models.CharField("全日制学历", max_length=20, choices=Education.choices, blank=True)
    ft_degree = models.CharField("全日制学位", max_length=50, blank=True)
    ft_school = models.CharField("全日制毕业院校系及专业", max_length=200, blank=True)
    ip_education = models.CharField("在职教育学历", max_length=20, choices=Education.choices, blank=True)
    ip_degree = models.CharField("在职教育学位", max_length=50, blank=True)
    ip_school = models.CharField("在职教育毕业院校系及专业", max_length=200, blank=True)
    highest_education = models.CharField(
        "最高学历", max_length=20, choices=Education.choices, blank=True, editable=False, db_index=True
    )
    id_number = models.CharField("身份证号", max_length=18, null=True, blank=True, unique=True)
    photo = models.ImageField("照片", upload_to="photos/%Y/", blank=True)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="cadres")
    status = models.CharField(
        "状态", max_length=20, choices=CadreStatus.choices, default=CadreStatus.SERVING, db_index=True
    )
    category = models.CharField(
        "干部类别", max_length=20, choices=CadreCategory.choices, default=CadreCategory.PARTY_GOVERNMENT
    )
    management_authority = models.CharField(
        "干部管理权限",
        max_length=20,
        choices=ManagementAuthority.choices,
        default=ManagementAuthority.ORG_DEPARTMENT,
        db_index=True,
    )
    rank = models.CharField("现职级", max_length=20, choices=Rank.choices, default=Rank.STAFF, db_index=True)
    # Rank codes do not sort by seniority ("deputy_section" < "section"); the database keeps the
    # position in ``Rank`` beside the code, so the rank sort walks an index instead of sorting a
    # CASE expression over the whole table, and stays right however a row is written (bulk, COPY).
    rank_order = models.GeneratedField(
        expression=Case(
            *(When(rank=code, then=Value(index)) for code, index in RANK_ORDER.items()),
            default=Value(len(RANK_ORDER)),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        verbose_name="职级序位",
    )
    is_leadership = models.BooleanField("领导职务", default=False, db_index=True)
    current_post_text = models.CharField("现任职务", max_length=200, blank=True)
    is_reserve = models.BooleanField("后备干部", default=False, db_index=True, editable=False)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "干部"
        verbose_name_plural = "干部"
        ordering = ["name_pinyin", "id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["rank_order", "name_pinyin", "id"], name="cadre_rank_sort"),
            # The 「最近更新」 sort: without it every page of that order sorted the whole table.
            models.Index(fields=["updated_at", "id"], name="cadre_updated_sort"),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, on: dt.date) -> int:
        """Age in full years on a date."""
        return age_on(self.birth_date, on)

    @property
    def birth_month_text(self) -> str:
        """出生年月 as printed on the form (``YYYY.MM``)."""
        return format_month(self.birth_date)

    @property
    def party_text(self) -> str:
        """入党时间 as printed on the form: the CPC date, or the democratic party / 群众 (lrmx.md §6)."""
        if self.political_status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
            text = format_month(self.party_join_date)
            return f"{text}；{self.democratic_party}" if self.democratic_party else text
        if self.political_status == PoliticalStatus.DEMOCRATIC_PARTY:
            return self.democratic_party
        return self.get_political_status_display()


class AppointmentDocument(models.Model):
    """任免文件: the decision document (number, date, issuing body) whose items create and end tenures."""

    number = models.CharField("文号", max_length=60, unique=True)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("发文日期", db_index=True)
    issuing_body = models.CharField("发文机关", max_length=100, default="中共示例县委")
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "任免文件"
        verbose_name_plural = "任免文件"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DocumentItem(models.Model):
    """One item of a document: appoint a cadre to a post, remove them from one, or set their rank."""

    document = models.ForeignKey(
        AppointmentDocument, verbose_name="文件", on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField("事项", max_length=10, choices=DocumentItemKind.choices)
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="document_items"
    )
    post = models.ForeignKey(
        Post, verbose_name="职位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.CharField("职级", max_length=20, choices=Rank.choices, blank=True)
    effective_on = models.DateField("生效日期")
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "任免事项"
        verbose_name_plural = "任免事项"
        ordering = ["document", "sort_order", "id"]

    def __str__(self) -> str:
        target = self.post or self.get_rank_display()
        return f"{self.get_kind_display()}{self.cadre.name} {target}"


class Tenure(models.Model):
    """A cadre holds a post from ``start_date`` until ``end_date`` (exclusive; empty while current).

    Created by an appointment item and ended by a removal item; never edited by hand.
    """

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="tenures")
    post = models.ForeignKey(Post, verbose_name="职位", on_delete=models.PROTECT, related_name="tenures")
    start_date = models.DateField("任职日期")
    end_date = models.DateField("免职日期", null=True, blank=True)
    start_item = models.ForeignKey(
        DocumentItem, verbose_name="任职依据", on_delete=models.PROTECT, related_name="+"
    )
    end_item = models.ForeignKey(
        DocumentItem,
        verbose_name="免职依据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["cadre", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tenure_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["post", "end_date"])]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.post}"


class RankRecord(models.Model):
    """Rank history: a cadre held a rank from a date until the next record (by a document item)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="rank_records"
    )
    rank = models.CharField("职级", max_length=20, choices=Rank.choices)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("终止日期", null=True, blank=True)
    item = models.ForeignKey(
        DocumentItem, verbose_name="依据", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "职级记录"
        verbose_name_plural = "职级记录"
        ordering = ["cadre", "start_date"]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_rank_display()}"


class ResumeEntry(models.Model):
    """One line of the 简历 (lrmx.md §5): from month to month (empty = to date), what and where."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="resume_entries"
    )
    start_date = models.DateField("起始年月")
    end_date = models.DateField("终止年月", null=True, blank=True)
    text = models.CharField("经历", max_length=300)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "简历"
        verbose_name_plural = "简历"
        ordering = ["cadre", "start_date", "sort_order"]

    def __str__(self) -> str:
        return f"{format_month(self.start_date)}--{format_month(self.end_date)} {self.text}"


class FamilyMember(models.Model):
    """家庭主要成员及重要社会关系 (lrmx.md §7): the basis of avoidance (回避) checks."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="family_members"
    )
    relation = models.CharField("称谓", max_length=20)
    name = models.CharField("姓名", max_length=50)
    birth_date = models.DateField("出生年月", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)
    work_unit_post = models.CharField("工作单位及职务", max_length=200, blank=True)
    related_cadre = models.ForeignKey(
        Cadre,
        verbose_name="对应在册干部",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="亲属本人也是在册干部时填写，用于回避审查。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["cadre", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"


class Assessment(models.Model):
    """An annual assessment result (年度考核)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=20, choices=AssessmentGrade.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["cadre", "-year"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}年度{self.get_grade_display()}"


class RewardSanction(models.Model):
    """A reward or a sanction; a sanction has an effective (影响) period ending on ``effective_until``.

    For a sanction, ``sanction_type`` decides the 影响期 (``ganbu.rules.sanctions``) and the services
    store the computed last day in ``effective_until``, so every reader (eligibility, campaigns)
    reads one date. A different stated end is an override recorded with
    ``period_override_reason``. ``effective_until`` is empty only for a sanction whose effect
    does not expire (开除, 开除党籍), for a reward, and for old records whose kind could not be
    read from their name.
    """

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="rewards_sanctions"
    )
    kind = models.CharField("类别", max_length=10, choices=RewardSanctionKind.choices)
    name = models.CharField("名称", max_length=100)
    sanction_type = models.CharField("处分种类", max_length=30, choices=SanctionType.choices, blank=True)
    decided_on = models.DateField("决定日期")
    approving_body = models.CharField("批准机关", max_length=100)
    effective_until = models.DateField(
        "影响期截止", null=True, blank=True, help_text="影响期的最后一天（含当日）。"
    )
    period_override_reason = models.CharField("影响期调整理由", max_length=300, blank=True)
    reason = models.CharField("事由", max_length=300, blank=True)
    # DISC-05: several violations decided together (their kinds, and the months the deciding
    # body chose within the range), and the running sanction this one's period was combined with.
    combined_kinds = models.CharField(
        "同时处理的各违法行为处分种类", max_length=200, blank=True, help_text="以逗号分隔的处分种类。"
    )
    combined_months = models.PositiveSmallIntegerField("确定的处分期月数", null=True, blank=True)
    combined_with = models.OneToOneField(
        "self",
        verbose_name="合并计算的原处分",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="combined_by",
    )
    period_basis = models.CharField("处分期计算依据", max_length=1000, blank=True)
    # DISC-09: which 问责/组织处理 measure, for the county's period.
    organizational_measure = models.CharField(
        "组织处理方式", max_length=20, choices=OrganizationalMeasure.choices, blank=True
    )
    # DISC-16: the dates the 复核 and 申诉 deadlines run from.
    known_on = models.DateField("知道处理决定之日", null=True, blank=True, help_text="一般为决定送达之日。")
    review_received_on = models.DateField("接到复核申请书之日", null=True, blank=True)
    review_decision_received_on = models.DateField("接到复核决定之日", null=True, blank=True)
    appeal_accepted_on = models.DateField("受理申诉之日", null=True, blank=True)
    # DISC-04: a new violation during the period keeps the sanction from lifting itself at the end.
    new_violation_pending = models.BooleanField("处分期内有新的违法行为（待处理）", default=False)

    class Meta:
        verbose_name = "奖惩"
        verbose_name_plural = "奖惩"
        ordering = ["cadre", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def impact_period(self) -> ImpactPeriod | None:
        """The 影响期 the regulation gives this sanction (``None`` for a reward or no kind)."""
        if self.kind != RewardSanctionKind.SANCTION or not self.sanction_type:
            return None
        return impact_period(self.sanction_type, self.decided_on)


class ReserveMembership(models.Model):
    """Membership of the reserve pool (后备干部) with its source and dates."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="reserve_memberships"
    )
    level = models.CharField("后备层次", max_length=20, choices=ReserveLevel.choices)
    source = models.CharField("来源", max_length=100)
    start_date = models.DateField("入库日期")
    end_date = models.DateField("出库日期", null=True, blank=True)
    end_reason = models.CharField("出库原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "后备干部"
        verbose_name_plural = "后备干部"
        ordering = ["cadre", "-start_date"]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_level_display()}"


class CorrectionRequest(models.Model):
    """A cadre's request to correct their own record; an officer approves (applies) or rejects it."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="corrections"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    field_name = models.CharField("字段", max_length=50)
    current_value = models.CharField("原值", max_length=300, blank=True)
    proposed_value = models.CharField("更正为", max_length=300)
    explanation = models.CharField("说明", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "信息更正申请"
        verbose_name_plural = "信息更正申请"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.field_name}"


class RosterColumnSet(models.Model):
    """A user's saved choice of roster export columns (花名册导出的列组合), in the order chosen.

    ``columns`` holds the keys of ``ganbu.registry.roster_columns.COLUMNS``. Only its owner sees
    and uses it; saving again under the same name replaces the columns.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="roster_column_sets",
    )
    name = models.CharField("名称", max_length=50)
    columns = models.JSONField("列", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "花名册列组合"
        verbose_name_plural = "花名册列组合"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="roster_column_set_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StructureCount(models.Model):
    """One figure of the team-structure summary (干部队伍结构) of one unit's subtree and authority.

    The dashboard's head counts and breakdowns of the cadres in the unit and every unit below it,
    so that a page sums one unit's narrow rows instead of scanning every cadre in the user's scope.
    The database itself keeps the rows (triggers on ``registry_cadre`` and ``registry_unit``,
    ``ganbu.registry.structure``), so every way of writing cadres — services, bulk imports, the
    demo generator's COPY, a SQL console — keeps them exact in the same transaction.
    ``dimension`` is ``total`` (every record), or for serving cadres only ``serving``,
    ``leaders``, ``reserve``, ``birth`` (key: the birth month ``YYYY-MM``; ages depend on the day,
    so bands are worked out when read), ``education`` (key: the code, empty for none)
    and ``gender``. Decision: docs/decisions/0015-structure-summary.md.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    management_authority = models.CharField("干部管理权限", max_length=20)
    dimension = models.CharField("维度", max_length=12)
    key = models.CharField("取值", max_length=20, blank=True)
    n = models.IntegerField("人数", default=0)

    class Meta:
        verbose_name = "干部队伍结构计数"
        verbose_name_plural = "干部队伍结构计数"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "management_authority", "dimension", "key"], name="structure_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.management_authority} {self.dimension}={self.key}: {self.n}"
