"""Forms of the competitive selection (竞争性选拔) staff pages: parsing only.

The campaign form turns the announcement's conditions into the ``EligibilitySpec`` JSON and the
stage table into the ``StagePlan`` JSON that ``services.campaign_create`` takes; the rules and the
services decide whether they hold, and their Chinese messages come back onto the form with
``add_service_error``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory

from ganbu.accounts.models import User
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.services import RANK_LEVEL, ApplicantData
from ganbu.registry.choices import Education as RegistryEducation
from ganbu.registry.choices import Gender, PoliticalStatus, Rank, ReserveLevel
from ganbu.registry.models import Unit
from ganbu.rules import campaign as rules
from ganbu.rules.eligibility import Education
from ganbu.rules.tally import Grade
from ganbu.voting.models import Ballot

from .forms_common import DATE_WIDGET, StyledForm

TEXTAREA = forms.Textarea(attrs={"rows": 3})
MAX_STAGES = 8
MAX_CRITERIA = 6
MSG_OUTSIDE_REQUIRED = "未选择在册干部时，请填写此项。"
MSG_CHOOSE_ONE = "请至少选择一人。"

GENDER_CHOICES = [("", "不限"), *Gender.choices]
# The registry's ranks by the rules' level they reach (``services.RANK_LEVEL``): the middle ranks and
# 一般干部 are all 一级科员 level for the rules, so one choice stands for them.
MIN_RANK_CHOICES = [
    ("", "不限"),
    (Rank.SECTION, "正科级（乡科级正职）"),
    (Rank.DEPUTY_SECTION, "副科级（乡科级副职）"),
    (Rank.STAFF, "一般干部及以上（一级科员）"),
]
MIN_EDUCATION_CHOICES = [("", "不限")] + [
    (e.name.lower(), e.label) for e in Education if e is not Education.BELOW_HIGH_SCHOOL
]
# Default stage codes by kind, for a row added without a code.
STAGE_KEYS = {
    rules.StageKind.WRITTEN_EXAM: "written",
    rules.StageKind.INTERVIEW: "interview",
    rules.StageKind.EVALUATION: "evaluation",
    rules.StageKind.INSPECTION: "inspection",
    rules.StageKind.EXTERNAL_EXAM: "external",
}
CITE_CUSTOM_PLAN = (
    "{announcement}所定考试环节、权重、合格分数线和比例（rules.md MODE-09，UNCONFIRMED，"
    "全国性条文未见，系地方做法）"
)


class ChoiceStyledForm(StyledForm):
    """A styled form whose radio buttons and checkbox lists keep the browser's own look.

    Their class would land on the list's container as well as on each box, so they get none; the
    templates lay the lists out (``_styles.html``).
    """

    def style_widgets(self) -> None:
        """Bootstrap classes, except on radio buttons and checkbox lists."""
        super().style_widgets()
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
                field.widget.attrs.pop("class", None)


def _number(value: Decimal | None) -> str | None:
    """An exact number as the plan's JSON writes it (``"3/10"``, ``"60"``), or ``None``."""
    return None if value is None else str(Fraction(value))


class CampaignForm(ChoiceStyledForm):
    """A new campaign: kind, title, organising unit, announcement, timetable and the 报名条件."""

    kind = forms.ChoiceField(label="类别", choices=CampaignKind.choices)
    title = forms.CharField(label="名称", max_length=200, help_text="如：2024年公开选拔副科级领导干部")
    unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    announcement = forms.CharField(label="公告", widget=forms.Textarea(attrs={"rows": 6}))
    registration_start = forms.DateField(label="报名开始", widget=DATE_WIDGET)
    registration_end = forms.DateField(label="报名截止", widget=DATE_WIDGET)
    cutoff = forms.DateField(
        label="资格条件计算截止日", widget=DATE_WIDGET, help_text="年龄、任职年限、工作年限均计算至此日。"
    )
    # 报名条件 (EligibilitySpec)
    gender = forms.ChoiceField(label="性别", choices=GENDER_CHOICES, required=False)
    max_age = forms.IntegerField(label="年龄上限（周岁，含）", required=False)
    min_age = forms.IntegerField(label="年龄下限（周岁，含）", required=False)
    political_statuses = forms.MultipleChoiceField(
        label="政治面貌",
        choices=[(s.value, s.label) for s in rules.PoliticalStatus],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限。",
    )
    min_rank = forms.ChoiceField(label="最低现任职级", choices=MIN_RANK_CHOICES, required=False)
    min_level_years = forms.IntegerField(label="任该职级及以上满（年）", required=False)
    min_education = forms.ChoiceField(label="最低学历", choices=MIN_EDUCATION_CHOICES, required=False)
    min_service_years = forms.IntegerField(label="参加工作满（年）", required=False)
    scope_units = forms.ModelMultipleChoiceField(
        label="报名范围（单位）",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="竞争上岗限本单位或本系统时选择（含下级单位）；不选表示不限。",
    )
    exclude_low_rating = forms.BooleanField(
        label="上一年度考核基本称职及以下的不得报名（《党政领导干部选拔任用工作条例》第二十四条）",
        required=False,
        initial=True,
    )
    exclude_sanctioned = forms.BooleanField(
        label="处分、诫勉等影响期内的不得报名（《党政领导干部选拔任用工作条例》第二十四条）",
        required=False,
        initial=True,
    )
    spec_announcement = forms.CharField(
        label="报名条件依据的公告名称",
        max_length=200,
        required=False,
        help_text="审查意见中引用，如《公开选拔副科级领导干部公告》；留空则用「《名称》公告」。",
    )
    allow_second_choice = forms.BooleanField(label="可填报第二志愿", required=False)
    reserve_top_n = forms.IntegerField(
        label="未任用者列入后备干部的名次线",
        min_value=0,
        max_value=999,
        initial=0,
        help_text="如前 30 名中未任用的列为后备干部；0 表示不列入。",
    )
    reserve_level = forms.ChoiceField(
        label="后备干部层次", choices=[("", "不列入"), *ReserveLevel.choices], required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("unit", "scope_units"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units

    def announcement_name(self) -> str:
        """The announcement cited for the campaign's own conditions."""
        name = self.cleaned_data.get("spec_announcement", "").strip()
        return name or f"《{self.cleaned_data['title'].strip()}》公告"

    def scope_unit_list(self) -> list[Unit]:
        """The units whose staff may apply (empty: anyone)."""
        return list(self.cleaned_data.get("scope_units") or [])

    def eligibility_json(self) -> dict[str, Any]:
        """The conditions as ``EligibilitySpec`` JSON (the rules validate it in the service)."""
        d = self.cleaned_data
        rank = d.get("min_rank") or ""
        return {
            "required_gender": d.get("gender") or None,
            "max_age": d.get("max_age"),
            "min_age": d.get("min_age"),
            "political_statuses": list(d.get("political_statuses") or []),
            "min_level": RANK_LEVEL[rank].name.lower() if rank else None,
            "min_level_years": d.get("min_level_years"),
            "min_education": d.get("min_education") or None,
            "min_service_years": d.get("min_service_years"),
            "unit_scope": sorted(str(u.pk) for u in self.scope_unit_list()),
            "exclude_low_rating": bool(d.get("exclude_low_rating")),
            "exclude_sanctioned": bool(d.get("exclude_sanctioned")),
            "announcement": self.announcement_name(),
        }


class StageRowForm(StyledForm):
    """One stage of the plan: code, name, kind, weight in %, pass mark, ratio 1:N, full mark."""

    compact = True
    key = forms.CharField(label="代码", max_length=40, required=False)
    label = forms.CharField(label="环节", max_length=30, required=False)
    kind = forms.ChoiceField(label="类型", choices=[(k.value, k.label) for k in rules.StageKind])
    weight = forms.DecimalField(
        label="权重（%）", required=False, min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    pass_mark = forms.DecimalField(
        label="合格分数线", required=False, min_value=0, decimal_places=2, max_digits=7
    )
    cut_ratio = forms.DecimalField(
        label="进入下一环节 1:N", required=False, min_value=1, decimal_places=2, max_digits=5
    )
    full_mark = forms.DecimalField(
        label="满分", required=False, min_value=Decimal("0.01"), decimal_places=2, max_digits=7
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the table's header is the only visible label
            field.widget.attrs.setdefault("aria-label", str(field.label))


class BaseStageFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The stage table; a row without a name and a code is left out."""

    def plan_json(self, *, kind: str, announcement: str) -> dict[str, Any]:
        """The rows as ``StagePlan`` JSON for ``kind``; a row without a code gets one from its type.

        The default plan's citation stays when the table is the default plan; otherwise the plan
        cites the campaign's announcement.
        """
        stages: list[dict[str, Any]] = []
        used: set[str] = set()
        for form in self.forms:
            d = form.cleaned_data
            if not d or not (d.get("label", "").strip() or d.get("key", "").strip()):
                continue
            key = d["key"].strip()
            if not key:
                base = STAGE_KEYS[rules.StageKind(d["kind"])]
                key, n = base, 2
                while key in used:
                    key, n = f"{base}_{n}", n + 1
            used.add(key)
            weight = d.get("weight") or Decimal(0)
            stages.append(
                {
                    "key": key,
                    "label": d["label"].strip(),
                    "kind": d["kind"],
                    "weight": str(Fraction(weight) / 100),
                    "scored": weight > 0,
                    "pass_mark": _number(d.get("pass_mark")),
                    "cut_ratio": _number(d.get("cut_ratio")),
                    "full_mark": _number(d.get("full_mark")) or "100",
                }
            )
        default = rules.default_plan(rules.CampaignKind(kind))
        is_default = stages == [s.to_json() for s in default.stages]
        citation = default.citation if is_default else CITE_CUSTOM_PLAN.format(announcement=announcement)
        return {"version": 1, "kind": kind, "stages": stages, "citation": citation}


StageFormSet = cast(
    "type[BaseStageFormSet]",
    formset_factory(
        StageRowForm,
        formset=BaseStageFormSet,
        extra=2,
        max_num=MAX_STAGES,
        absolute_max=MAX_STAGES,
        validate_max=True,
    ),
)


def _decimal(value: Fraction | None) -> Decimal | None:
    """An exact number of the plan for a form field (two decimals at most, as the fields take)."""
    if value is None:
        return None
    rounded = rules.round_half_up(value, 2)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


def stage_rows(plan: rules.StagePlan) -> list[dict[str, Any]]:
    """A plan as the initial rows of the stage table (weights in %)."""
    return [
        {
            "key": s.key,
            "label": s.label,
            "kind": s.kind.value,
            "weight": _decimal(s.weight * 100),
            "pass_mark": _decimal(s.pass_mark),
            "cut_ratio": _decimal(s.cut_ratio),
            "full_mark": _decimal(s.full_mark),
        }
        for s in plan.stages
    ]


class PostAddForm(StyledForm):
    """A post offered in a draft campaign (picked on demand) and its number of places."""

    post = forms.IntegerField(label="职位", min_value=1, max_value=2**62)
    places = forms.IntegerField(label="职数", min_value=1, max_value=999, initial=1)


def _posts_field(label: str, posts: Sequence[tuple[int, str]], required: bool) -> forms.TypedChoiceField:
    blank = [] if required else [("", "不填")]
    return forms.TypedChoiceField(
        label=label, choices=[*blank, *posts], coerce=int, required=required, empty_value=None
    )


class ApplicationForm(StyledForm):
    """Staff enter one application: a registry cadre (picker), or an outside applicant's declared facts."""

    cadre = forms.IntegerField(
        label="在册干部",
        required=False,
        min_value=1,
        max_value=2**62,
        help_text="在册干部的信息取自干部档案。",
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=DATE_WIDGET)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    political_status = forms.ChoiceField(
        label="政治面貌", choices=[("", "—"), *PoliticalStatus.choices], required=False
    )
    education = forms.ChoiceField(
        label="学历", choices=[("", "—"), *RegistryEducation.choices], required=False
    )
    work_start_date = forms.DateField(label="参加工作时间", required=False, widget=DATE_WIDGET)
    rank = forms.ChoiceField(label="现职级", choices=[("", "—"), *Rank.choices], required=False)
    rank_since = forms.DateField(label="任现职级时间", required=False, widget=DATE_WIDGET)
    unit_name = forms.CharField(label="工作单位", max_length=100, required=False)
    post_text = forms.CharField(label="现任职务", max_length=100, required=False)
    last_year_rating = forms.ChoiceField(
        label="上一年度考核等次", choices=[("", "—"), *((g.value, g.label) for g in Grade)], required=False
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    OUTSIDE_REQUIRED = ("name", "gender", "birth_date", "id_number", "political_status", "education")

    def __init__(
        self, *args: Any, posts: Sequence[tuple[int, str]], second_choice: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_choice"] = _posts_field("第一志愿", posts, True)
        if second_choice:
            self.fields["second_choice"] = _posts_field("第二志愿", posts, False)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        """Without a registry cadre, the facts the rules read are required."""
        data = super().clean() or {}
        if not data.get("cadre"):
            for name in self.OUTSIDE_REQUIRED:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, MSG_OUTSIDE_REQUIRED)
        return data

    def applicant_data(self) -> ApplicantData | None:
        """The outside applicant's facts (``None`` when a registry cadre was chosen)."""
        d = self.cleaned_data
        if d.get("cadre"):
            return None
        return ApplicantData(
            name=d["name"],
            gender=d["gender"],
            birth_date=d["birth_date"],
            id_number=d["id_number"].strip().upper(),
            political_status=d["political_status"],
            education=d["education"],
            work_start_date=d.get("work_start_date"),
            rank=d.get("rank") or "",
            rank_since=d.get("rank_since"),
            unit_name=d.get("unit_name") or "",
            post_text=d.get("post_text") or "",
            last_year_rating=d.get("last_year_rating") or "",
            phone=d.get("phone") or "",
        )


class BulkFilterForm(StyledForm):
    """Which cadres to offer for a bulk entry: a unit, ranks below one, and the post they apply for."""

    compact = True
    unit = forms.ModelChoiceField(label="单位（含下级单位）", queryset=Unit.objects.none())
    below_rank = forms.ChoiceField(label="职级低于", choices=[("", "不限"), *Rank.choices], required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], posts: Sequence[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        self.fields["post"] = _posts_field("报考职位（可逐人修改）", posts, True)
        self.style_widgets()


class BulkForm(ChoiceStyledForm):
    """The cadres chosen from the offered list, each with one post choice."""

    compact = True

    def __init__(
        self,
        *args: Any,
        cadres: Sequence[tuple[int, str]],
        posts: Sequence[tuple[int, str]],
        default_post: int | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cadre_ids = [pk for pk, _ in cadres]
        self.fields["cadres"] = forms.TypedMultipleChoiceField(
            label="报名人员",
            choices=[(pk, text) for pk, text in cadres],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            initial=self.cadre_ids,
        )
        for pk in self.cadre_ids:
            field = _posts_field("职位", posts, True)
            field.initial = default_post
            field.widget.attrs["aria-label"] = "报考职位"
            self.fields[f"post_{pk}"] = field
        self.style_widgets()

    def rows(self) -> list[tuple[int, int]]:
        """(cadre id, post id) of the chosen cadres, in the offered order."""
        chosen = set(self.cleaned_data.get("cadres") or [])
        return [(pk, self.cleaned_data[f"post_{pk}"]) for pk in self.cadre_ids if pk in chosen]

    def row_fields(self) -> list[tuple[Any, forms.BoundField]]:
        """Each offered cadre's checkbox with its post select, for the table."""
        posts = [self[f"post_{pk}"] for pk in self.cadre_ids]
        return list(zip(self["cadres"].subwidgets, posts, strict=True))


class ReviewForm(ChoiceStyledForm):
    """资格审查: pass or reject, with the reviewer's note (required when rejecting)."""

    compact = True
    decision = forms.ChoiceField(
        label="审查结论", choices=[("pass", "通过"), ("reject", "不通过")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="审查意见",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "审查意见（不通过时必填）"}),
    )


class ExceptionForm(StyledForm):
    """破格入围, recorded by the department's leadership with the reason."""

    compact = True
    note = forms.CharField(
        label="破格入围理由", max_length=300, widget=forms.TextInput(attrs={"placeholder": "破格入围理由"})
    )


class WithdrawForm(StyledForm):
    """An applicant withdraws (through staff)."""

    compact = True
    reason = forms.CharField(label="退出原因", max_length=300)


class ScoreForm(StyledForm):
    """One score by hand: the applicant and stage (hidden), the score, or absent."""

    compact = True
    application = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    stage = forms.CharField(widget=forms.HiddenInput, max_length=40)
    score = forms.CharField(label="成绩", max_length=12, required=False)
    absent = forms.BooleanField(label="缺考", required=False)


class BallotScoresForm(StyledForm):
    """A 民主测评 stage's scores from a counted evaluation ballot."""

    compact = True
    stage = forms.CharField(widget=forms.HiddenInput, max_length=40)
    ballot = forms.ModelChoiceField(label="民主测评投票", queryset=Ballot.objects.none())

    def __init__(self, *args: Any, ballots: QuerySet[Ballot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ballot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ballots


class AdvanceForm(ChoiceStyledForm):
    """Let the candidates through from a stage; without a ratio, name those who do not go on and why."""

    compact = True
    stage = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, candidates: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates:
            self.fields["exclude"] = forms.TypedMultipleChoiceField(
                label="不进入下一环节的人员",
                choices=list(candidates),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["reason"] = forms.CharField(label="理由", max_length=300, required=False)
        self.style_widgets()


class PanelForm(ChoiceStyledForm):
    """An interview panel: stage, name, judges, criteria with maxima, trimming, candidates."""

    name = forms.CharField(label="考官组名称", max_length=100, required=False, help_text="如：第一考官组")
    judges = forms.ModelMultipleChoiceField(
        label="考官", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    drop_high = forms.IntegerField(label="去掉最高分个数", min_value=0, max_value=5, initial=1)
    drop_low = forms.IntegerField(label="去掉最低分个数", min_value=0, max_value=5, initial=1)

    def __init__(
        self,
        *args: Any,
        stages: Sequence[tuple[str, str]],
        judges: QuerySet[User],
        candidates: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"] = forms.ChoiceField(label="环节", choices=list(stages))
        field = self.fields["judges"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = judges
        for n in range(1, MAX_CRITERIA + 1):
            self.fields[f"crit_label_{n}"] = forms.CharField(
                label=f"评分要素 {n}",
                max_length=50,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": f"评分要素 {n}"}),
            )
            self.fields[f"crit_max_{n}"] = forms.DecimalField(
                label="满分",
                required=False,
                min_value=Decimal("0.01"),
                decimal_places=2,
                max_digits=6,
                widget=forms.NumberInput(attrs={"aria-label": f"评分要素 {n} 满分"}),
            )
        self.fields["candidates"] = forms.TypedMultipleChoiceField(
            label="面试对象",
            choices=list(candidates),
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            initial=[pk for pk, _ in candidates],
        )
        self.style_widgets()

    def criterion_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The (label, maximum) fields of each criterion row, for the template."""
        return [(self[f"crit_label_{n}"], self[f"crit_max_{n}"]) for n in range(1, MAX_CRITERIA + 1)]

    def criteria(self) -> list[dict[str, Any]]:
        """The filled criterion rows as the service takes them (codes c1, c2 … by row)."""
        out = []
        for n in range(1, MAX_CRITERIA + 1):
            label = (self.cleaned_data.get(f"crit_label_{n}") or "").strip()
            maximum = self.cleaned_data.get(f"crit_max_{n}")
            if label or maximum is not None:
                out.append({"key": f"c{n}", "label": label or f"评分要素 {n}", "maximum": str(maximum or "")})
        return out


class DecideForm(ChoiceStyledForm):
    """Who is to be appointed, among those the allocation placed (at most the places of each post)."""

    appointed = forms.TypedMultipleChoiceField(
        label="拟任用人选", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appointed"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(candidates)


class OnForm(StyledForm):
    """A day (the reserve pool's start, the hand-over's 动议 day, the statistics' age day)."""

    compact = True
    on = forms.DateField(label="日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, label: str = "日期", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
