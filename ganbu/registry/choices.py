"""Coded values of the registry. Labels are what the UI and the 任免审批表 print."""

from django.db import models


class UnitKind(models.TextChoices):
    """Kinds of unit in a county (domain.md: 单位)."""

    COUNTY_ORGAN = "county_organ", "县直机关"
    TOWN = "town", "镇"
    INSTITUTION = "institution", "事业单位"
    ENTERPRISE = "enterprise", "国有企业"
    COUNTY = "county", "县委县政府"
    INTERNAL = "internal", "内设机构/站所"


class UnitLevel(models.TextChoices):
    """Administrative level of a unit."""

    COUNTY = "county", "县级"
    SECTION = "section", "正科级"
    DEPUTY_SECTION = "deputy_section", "副科级"
    STOCK = "stock", "股级"
    NONE = "none", "无级别"


class Rank(models.TextChoices):
    """Rank (职级/级别) of a cadre or a post, highest first (domain.md: rank)."""

    SECTION = "section", "正科级"
    DEPUTY_SECTION = "deputy_section", "副科级"
    MIDDLE_HEAD = "middle_head", "中层正职"
    MIDDLE_DEPUTY = "middle_deputy", "中层副职"
    STAFF = "staff", "一般干部"


RANK_ORDER = {value: index for index, value in enumerate(Rank.values)}


class PostKind(models.TextChoices):
    """Kind of post; quotas (职数) are set per unit and kind."""

    HEAD = "head", "领导正职"
    DEPUTY = "deputy", "领导副职"
    MIDDLE_HEAD = "middle_head", "中层正职"
    MIDDLE_DEPUTY = "middle_deputy", "中层副职"
    NON_LEADERSHIP = "non_leadership", "非领导职务"
    STAFF = "staff", "一般工作人员"


LEADERSHIP_KINDS = {PostKind.HEAD, PostKind.DEPUTY, PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY}


class Gender(models.TextChoices):
    """GB/T 2261.1 genders as printed on the form."""

    MALE = "M", "男"
    FEMALE = "F", "女"


class PoliticalStatus(models.TextChoices):
    """政治面貌 (GB/T 4762, the values cadres hold)."""

    CPC = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派"
    NON_PARTY = "non_party", "无党派人士"
    MASSES = "masses", "群众"


class Education(models.TextChoices):
    """学历 (ZB64 names), highest first."""

    POSTGRADUATE = "postgraduate", "研究生"
    UNIVERSITY = "university", "大学"
    COLLEGE = "college", "大专"
    TECHNICAL = "technical", "中专"
    HIGH_SCHOOL = "high_school", "高中及以下"


EDUCATION_ORDER = {value: index for index, value in enumerate(Education.values)}


class CadreStatus(models.TextChoices):
    """Status of a cadre in the registry."""

    SERVING = "serving", "在职"
    EARLY_EXIT = "early_exit", "离岗退养"
    RETIRED = "retired", "退休"
    RESIGNED = "resigned", "辞职"
    DISMISSED = "dismissed", "免职"
    TRANSFERRED_OUT = "transferred_out", "调出"
    DECEASED = "deceased", "去世"


class CadreCategory(models.TextChoices):
    """Category of cadre (干部类别)."""

    PARTY_GOVERNMENT = "party_government", "党政机关干部"
    INSTITUTION = "institution", "事业单位干部"
    ENTERPRISE = "enterprise", "国有企业管理人员"


class ManagementAuthority(models.TextChoices):
    """干部管理权限: which body manages the cadre (《干部管理权限及实施办法》)."""

    COUNTY_COMMITTEE = "county_committee", "县委管理"
    ORG_DEPARTMENT = "org_department", "县委组织部管理"
    UNIT = "unit", "单位管理（组织部备案）"


class DocumentItemKind(models.TextChoices):
    """What one item of an appointment/removal document does."""

    APPOINT = "appoint", "任命"
    REMOVE = "remove", "免去"
    RANK = "rank", "确定职级"


class AssessmentGrade(models.TextChoices):
    """Annual assessment grades (《党政领导干部考核工作条例》第三十二条; 公务员考核规定 第十二条)."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
    UNGRADED = "ungraded", "不定等次"


class RewardSanctionKind(models.TextChoices):
    """Reward or sanction."""

    REWARD = "reward", "奖励"
    SANCTION = "sanction", "处分"


class SanctionType(models.TextChoices):
    """The kind of a sanction (处分种类), which decides its 影响期 (``ganbu.rules.sanctions``).

    The values and labels are those of ``ganbu.rules.sanctions.SanctionType`` (a test keeps them
    equal); the rules module holds the months and the regulations.
    """

    WARNING = "warning", "警告"
    DEMERIT = "demerit", "记过"
    MAJOR_DEMERIT = "major_demerit", "记大过"
    DEMOTION = "demotion", "降级"
    DISMISSAL = "dismissal", "撤职"
    EXPULSION = "expulsion", "开除"
    PARTY_WARNING = "party_warning", "党内警告"
    PARTY_SERIOUS_WARNING = "party_serious_warning", "党内严重警告"
    PARTY_POST_REMOVAL = "party_post_removal", "撤销党内职务"
    PARTY_PROBATION_ONE_YEAR = "party_probation_1", "留党察看一年"
    PARTY_PROBATION_TWO_YEARS = "party_probation_2", "留党察看二年"
    PARTY_EXPULSION = "party_expulsion", "开除党籍"
    ADMONISHMENT = "admonishment", "诫勉"
    ORGANIZATIONAL = "organizational", "组织处理"
    OTHER = "other", "其他处分"


class OrganizationalMeasure(models.TextChoices):
    """The 问责/组织处理 measure of a 组织处理 row, which picks the county's impact period (DISC-09).

    免职 (with 责令辞职、引咎辞职): no post for a period; 降职: no promotion for a period. The months are
    county policy values (``ganbu.policy.keys``: ``sanctions.removal_months``,
    ``sanctions.demotion_months``); any other measure takes the end written in its decision.
    """

    REMOVAL = "removal", "免职（含责令辞职、引咎辞职）"
    DEMOTION = "demotion", "降职"
    OTHER = "other", "其他组织处理（按决定填写影响期）"


class ReserveLevel(models.TextChoices):
    """Reserve-pool level."""

    SECTION = "section", "正科级后备干部"
    DEPUTY_SECTION = "deputy_section", "副科级后备干部"
    MIDDLE = "middle", "中层后备干部"


class CorrectionStatus(models.TextChoices):
    """State of a self-service correction request."""

    PENDING = "pending", "待审核"
    APPROVED = "approved", "已采纳"
    REJECTED = "rejected", "未采纳"
