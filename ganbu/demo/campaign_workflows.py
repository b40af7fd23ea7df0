"""The demo county's competitive selection campaigns (竞争性选拔), made through the campaign services.

Run by ``demo_workflows_load`` after the ballots, selection records and exits, so that the campaign
pages, the judges' pages and the applicant portal are populated for someone trying the system:

- a **finished 公开选拔** of two 副科级 posts, registration about five months before ``past``:
  registry cadres entered by ``zzb`` (one by one and a batch), outside applicants registered on the
  public page, the qualification review with one refusal and one 破格入围 approved by ``zzbld``,
  the written exam imported with one 缺考, an interview panel of ``kaoguan1``–``kaoguan3`` scored
  and locked, the cut lists, the ranking, the decision, the published result and the reserve pool;
- a **竞争上岗 in scoring** today: 林业站站长 posts of the forestry bureau, open to its own staff
  only (``scope_units``), written scores entered by hand, an interview panel where ``kaoguan1``
  still has most sheets to fill and the other judges are partly or wholly done;
- an **open 公开选拔 in registration** today, its announcement published, with a few applications,
  one of them the demo applicant ``baoming``'s own (linked to that login).

Public registrations go through ``services.application_register`` (the body of the public form),
the demo applicant's with ``user=baoming``: ``portal.applicant_register`` would also create a login,
which the outsiders need not have (the demo's accounts are exactly ``DEMO_ACCOUNTS``), and count the
attempt against a client address the demo does not have.

Why the finished selection is not handed over to the appointment procedure (``campaign_hand_over``):
the hand-over is only possible while the campaign is ranked, and it opens a 纪实 at 确定考察对象 that
would then have to be driven through inspection, the committee and the appointment documents to
stay believable in a campaign that ended months ago; the demo's five selection records already show
every step of that procedure.

Determinism: the random choices come from their own ``random.Random`` (seeded with the demo's seed),
drawn in a fixed order over rows read in primary-key order, so that a change in another workflow's
draws does not reshuffle them (who is still free, and which units have a free seat, do depend on the
other workflows). The only other draws are those of the workflows' ``deputy_seat``, which creates
the one-seat deputy posts the selections offer, exactly as the selection records get theirs.
Dates are derived from ``past`` (the finished selection) and ``today`` (the two running ones).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from ganbu.campaigns import selectors as campaign_selectors
from ganbu.campaigns import services as campaigns
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.models import Applicant, Application, Campaign, CampaignPost, InterviewPanel
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import (
    AssessmentGrade,
    Education,
    PoliticalStatus,
    PostKind,
    Rank,
    ReserveLevel,
    UnitKind,
)
from ganbu.registry.models import Assessment, Cadre, Post, Quota, Tenure, Unit
from ganbu.rules.idcard import check_char
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import SelectionRecord

from . import data

if TYPE_CHECKING:
    from ganbu.accounts.models import User

    from .workflows import _Loader

MSG_NOTHING = "示例县中找不到{what}，无法载入演示竞争性选拔。"

# Who may apply to a 副科级 post in the demo's 公开选拔 (the announcement's own conditions, 《公告》).
OPEN_ELIGIBILITY = {
    "max_age": 40,
    "political_statuses": ["cpc", "cpc_probationary"],
    "min_education": "bachelor",
    "min_service_years": 3,
}
# The 竞争上岗 of 林业站站长: the bureau's own staff (scope units), a lower bar on education.
COMPETITION_ELIGIBILITY = {"max_age": 45, "min_education": "junior_college", "min_service_years": 3}
# 评分要素 of the interviews, each summing to the stage's full mark of 100.
OPEN_CRITERIA = (
    ("analysis", "综合分析", 30),
    ("planning", "计划组织协调", 25),
    ("response", "应变能力", 20),
    ("expression", "言语表达", 15),
    ("manner", "举止仪表", 10),
)
COMPETITION_CRITERIA = (
    ("knowledge", "业务知识", 30),
    ("ideas", "工作思路", 30),
    ("coordination", "组织协调", 20),
    ("expression", "言语表达", 20),
)
# Where outside applicants work: units of the (fictitious) city and the neighbouring county.
OUTSIDE_UNITS = (
    ("示例市农业农村局", "科员"),
    ("示例市自然资源和规划局", "一级科员"),
    ("邻县人民政府办公室", "科员"),
    ("示例市第一中学", "教师"),
    ("示例市生态环境局", "一级科员"),
)
_JUNIORS = (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY, PostKind.STAFF)
_DEGREES = (Education.UNIVERSITY, Education.POSTGRADUATE)
_POOR = (AssessmentGrade.BASIC, AssessmentGrade.INCOMPETENT)
_SENSITIVE_UNITS = ("纪委", "监委", "组织部", "法院", "检察院", "公安")
# How many the demo's finished selection takes: regular applicants, of whom some entered as a batch.
OPEN_APPLICANTS, OPEN_BATCH, OPEN_OUTSIDERS = 26, 6, 3
COMPETITION_APPLICANTS = 10
RUNNING_APPLICANTS = 5


def _text(value: float) -> str:
    """A score as typed: one decimal."""
    return f"{value:.1f}"


class CampaignLoader:
    """Makes the three demo campaigns through the services, acting as the workflows' demo accounts."""

    def __init__(self, loader: _Loader, *, seed: int) -> None:
        """Campaigns on top of the workflows' ``loader`` (accounts, county, busy cadres and dates)."""
        self.loader = loader
        self.rng = random.Random(f"{seed}:campaigns")
        self.officer, self.leader = loader.officer, loader.leader
        self.judges: list[User] = list(loader.judges)
        self.applicant: User = loader.applicant
        self.days = loader.days

    # ------------------------------------------------------------ helpers

    def name(self, gender: str) -> str:
        """A name drawn like the generator's (weighted surnames, gendered given names)."""
        surnames, weights = zip(*data.SURNAMES, strict=True)
        chars = data.FEMALE_CHARS if gender == "F" else data.MALE_CHARS
        given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
        return str(self.rng.choices(surnames, weights)[0]) + given

    def id_number(self, birth: dt.date, gender: str) -> str:
        """A valid ID number (GB 11643-1999) for the birth date and gender, used by nobody yet.

        The county's own region code, which is invented: a made-up number can be nobody's real one.
        """
        seq = self.rng.randrange(500) * 2 + (1 if gender == "M" else 0)
        while True:
            first17 = f"{data.COUNTY_REGION_CODE}{birth:%Y%m%d}{seq:03d}"
            number = first17 + check_char(first17)
            if not (
                Cadre.objects.filter(id_number=number).exists()
                or Applicant.objects.filter(id_number=number).exists()
            ):
                return number
            seq = (seq + 2) % 1000

    def outsider(self, cutoff: dt.date, ages: tuple[int, int]) -> campaigns.ApplicantData:
        """What an applicant from outside the county's registry declares on the public page.

        A party member with a degree, five years or more at work and last year's rating 称职 or
        better: someone the announcement's conditions admit.
        """
        gender = "F" if self.rng.random() < 0.45 else "M"
        age = self.rng.randint(*ages)
        birth = dt.date(cutoff.year - age - 1, 1, 1) + dt.timedelta(days=self.rng.randrange(1, 360))
        work_start = dt.date(birth.year + 23, 7, 1)
        unit_name, post_text = self.rng.choice(OUTSIDE_UNITS)
        return campaigns.ApplicantData(
            name=self.name(gender),
            gender=gender,
            birth_date=birth,
            id_number=self.id_number(birth, gender),
            political_status=PoliticalStatus.CPC,
            education=Education.UNIVERSITY,
            work_start_date=work_start,
            rank=Rank.STAFF,
            rank_since=work_start,
            unit_name=unit_name,
            post_text=post_text,
            last_year_rating=self.rng.choice((AssessmentGrade.COMPETENT, AssessmentGrade.EXCELLENT)),
        )

    def poorly_rated(self, year: int) -> set[int]:
        """Cadres rated 基本称职 or 不称职 in ``year``: INSP-01 keeps them out, and so does the demo."""
        return set(Assessment.objects.filter(year=year, grade__in=_POOR).values_list("cadre_id", flat=True))

    def applicants(
        self,
        *,
        cutoff: dt.date,
        ages: tuple[int, int],
        educations: Sequence[str],
        party: bool,
        units: Sequence[int] | None = None,
    ) -> list[Cadre]:
        """Free serving cadres in 股室 posts who meet a campaign's conditions on ``cutoff``, shuffled.

        Three years at work, last year not poorly rated, not in the reserve pool already (so the
        campaign's reserve rule adds whom it names), and not in the units the selections avoid.
        """
        poor = self.poorly_rated(cutoff.year - 1)
        since = cutoff - dt.timedelta(days=365)
        # Started before the first of the month three years back: surely three years to the day.
        serving = dt.date(cutoff.year - 3, cutoff.month, 1)
        found = [
            c
            for c in self.loader.pool(
                kinds=_JUNIORS, since=since, on=cutoff, ages=ages, degree=False, party=party, units=units
            )
            if c.highest_education in educations
            and c.pk not in poor
            and not c.is_reserve
            and c.work_start_date is not None
            and c.work_start_date < serving
            and not any(w in self.loader.top(c.unit_id).name for w in _SENSITIVE_UNITS)
        ]
        self.rng.shuffle(found)
        return found

    def deputy_post(self, since: dt.date, exclude: set[int]) -> Post:
        """A 副科级 deputy post to offer: a one-seat post where a seat has been free since ``since``.

        Made by the workflows' ``deputy_seat`` (the registry service creates it); when no unit has had
        a free seat all along, an existing deputy post of a county organ with room in its quota.
        """
        post = self.loader.deputy_seat(since, exclude)
        if post is not None:
            return post
        quotas = set(
            Quota.objects.filter(
                kind=PostKind.DEPUTY, number__gte=1, unit_id__in=self.loader.county_units
            ).values_list("unit_id", flat=True)
        )
        options = [
            p
            for p in Post.objects.filter(kind=PostKind.DEPUTY, is_active=True, unit_id__in=quotas)
            .select_related("unit")
            .order_by("id")
            if p.unit.parent_id == self.loader.root.pk
            and p.unit.kind == UnitKind.COUNTY_ORGAN
            and p.unit_id not in exclude
            and not any(w in p.unit.name for w in _SENSITIVE_UNITS)
        ]
        if not options:
            raise ServiceError(MSG_NOTHING.format(what="可以列入公开选拔的副科级职位"))
        return self.rng.choice(options)

    def choices(
        self, offered: Sequence[CampaignPost], second: float
    ) -> tuple[CampaignPost, CampaignPost | None]:
        """A first choice at random and, with probability ``second``, another post as the second."""
        first = self.rng.choice(offered)
        others = [p for p in offered if p.pk != first.pk]
        return first, (self.rng.choice(others) if others and self.rng.random() < second else None)

    def sheet(self, criteria: Sequence[tuple[str, str, int]], quality: float) -> dict[str, str]:
        """One judge's marks for a candidate of ``quality`` (0–1): each near that share of its maximum."""
        marks = {}
        for key, _, maximum in criteria:
            share = min(0.98, max(0.4, quality + self.rng.uniform(-0.06, 0.06)))
            marks[key] = _text(min(float(maximum), round(maximum * share * 2) / 2))
        return marks

    def review(
        self, campaign: Campaign, *, exception: Collection[int] = (), exception_note: str = ""
    ) -> None:
        """资格审查 of every application, as the findings stored on it decide.

        Blocking findings: rejected, the findings' own words as the reason — except the cadres in
        ``exception``, admitted as 破格入围 by the department's leader (``zzbld``) with the note. A
        general finding (a rating not yet recorded) passes with the officer's note of the check.
        """
        for application in campaign.applications.select_related("applicant").order_by("ticket"):
            hard = [f for f in application.findings if f.get("severity") != "general"]
            if hard and application.applicant.cadre_id in exception:
                campaigns.application_review(
                    actor=self.leader,
                    application=application,
                    passed=True,
                    exceptional=True,
                    note=exception_note,
                )
            elif hard:
                reasons = "；".join(f["message"].rstrip("。") for f in hard)
                campaigns.application_review(
                    actor=self.officer,
                    application=application,
                    passed=False,
                    note=f"不符合报名条件：{reasons}。",
                )
            else:
                note = "经核实，符合报名条件。" if application.findings else ""
                campaigns.application_review(
                    actor=self.officer, application=application, passed=True, note=note
                )

    def panel(
        self, campaign: Campaign, name: str, criteria: Sequence[tuple[str, str, int]]
    ) -> tuple[InterviewPanel, list[Application]]:
        """The interview panel of the three demo judges for everyone now in the interview."""
        candidates = list(campaign_selectors.stage_applications(campaign, "interview"))
        panel = campaigns.panel_create(
            actor=self.officer,
            campaign=campaign,
            stage="interview",
            name=name,
            judges=self.judges,
            criteria=[{"key": k, "label": label, "maximum": m} for k, label, m in criteria],
            applications=candidates,
        )
        return panel, candidates

    # ------------------------------------------------------------ the campaigns

    def load(self) -> None:
        """The finished selection, the competition being scored and the selection in registration."""
        used = set(SelectionRecord.objects.values_list("unit_id", flat=True))
        used |= self.finished_selection(used)
        self.competition()
        self.open_selection(used)

    def finished_selection(self, exclude: set[int]) -> set[int]:
        """A 公开选拔 of two 副科级 posts, from registration to the reserve pool, closed.

        Returns the units of its posts (the selection in registration offers others).
        """
        o, days = self.officer, self.days
        start = days.back(self.loader.past, 150)
        end = days.on(start, 14)
        cutoff = end
        first = self.deputy_post(start, exclude)
        second = self.deputy_post(start, {*exclude, first.unit_id})
        posts = (first, second)
        title = f"{start.year}年示例县公开选拔副科级领导干部"
        campaign = campaigns.campaign_create(
            actor=o,
            kind=CampaignKind.OPEN_SELECTION,
            title=title,
            unit=self.loader.root,
            announcement=(
                f"根据全县领导班子建设需要，经县委研究决定，面向全县公开选拔副科级领导干部 {len(posts)} 名，"
                f"职位为{'、'.join(str(p) for p in posts)}，每名报名人员可填报两个志愿。"
                f"报名时间为{cn_date(start)}至{cn_date(end)}，年龄、工作年限等计算至{cn_date(cutoff)}。"
                "选拔按照报名、资格审查、笔试、面试、民主测评、组织考察的程序进行，"
                "笔试、面试成绩各占综合成绩的 50%，笔试按 1:3、面试按 2:1 的比例确定进入下一环节人选。"
                "未任用人员中综合成绩前 6 名的，列为副科级后备干部。"
            ),
            registration_start=start,
            registration_end=end,
            cutoff=cutoff,
            eligibility={**OPEN_ELIGIBILITY, "announcement": f"《{title}公告》"},
            allow_second_choice=True,
            reserve_top_n=6,
            reserve_level=ReserveLevel.DEPUTY_SECTION,
        )
        offered = [campaigns.campaign_post_add(actor=o, campaign=campaign, post=p) for p in posts]
        campaigns.campaign_open(actor=o, campaign=campaign)

        # Registration: cadres entered by the officer (one by one, then a batch from the units'
        # lists), outsiders on the public page, and two whose facts do not meet the conditions.
        regular = self.applicants(cutoff=cutoff, ages=(27, 40), educations=_DEGREES, party=True)
        regular = regular[:OPEN_APPLICANTS]
        if len(regular) < OPEN_APPLICANTS:
            raise ServiceError(MSG_NOTHING.format(what=f"{OPEN_APPLICANTS} 名符合公开选拔报名条件的干部"))
        self.loader.take(regular)
        over_age = self.applicants(cutoff=cutoff, ages=(41, 41), educations=_DEGREES, party=True)[:1]
        college = self.applicants(cutoff=cutoff, ages=(27, 40), educations=(Education.COLLEGE,), party=True)[
            :1
        ]
        self.loader.take([*over_age, *college])
        one_by_one, batch = regular[: len(regular) - OPEN_BATCH], regular[len(regular) - OPEN_BATCH :]
        for cadre in one_by_one[: len(one_by_one) // 2]:
            first_choice, second_choice = self.choices(offered, 0.6)
            campaigns.application_enter(
                actor=o,
                campaign=campaign,
                cadre=cadre,
                first_choice=first_choice,
                second_choice=second_choice,
            )
        for n in range(OPEN_OUTSIDERS):
            first_choice, second_choice = self.choices(offered, 0.6)
            campaigns.application_register(
                campaign=campaign,
                data=self.outsider(cutoff, (28, 36)),
                first_choice=first_choice,
                second_choice=second_choice,
                on=days.on(start, 3 + 3 * n),
            )
        for cadre in [*one_by_one[len(one_by_one) // 2 :], *over_age, *college]:
            first_choice, second_choice = self.choices(offered, 0.6)
            campaigns.application_enter(
                actor=o,
                campaign=campaign,
                cadre=cadre,
                first_choice=first_choice,
                second_choice=second_choice,
            )
        campaigns.applications_enter_bulk(
            actor=o, campaign=campaign, rows=[(c, *self.choices(offered, 0.6)) for c in batch]
        )
        campaigns.campaign_close_registration(actor=o, campaign=campaign)
        self.review(
            campaign,
            exception={c.pk for c in over_age},
            exception_note="超过公告规定年龄不足一年，任现职以来工作实绩突出，经部务会研究，报分管领导同意破格入围。",
        )
        campaigns.campaign_start_scoring(actor=o, campaign=campaign)

        # 笔试 from the exam centre's score sheet, one candidate absent; cut 1:3 per post.
        qualified = list(campaign_selectors.stage_applications(campaign, "written"))
        absent = self.rng.choice(qualified[1:]) if len(qualified) > 1 else None
        rows = [
            campaigns.ScoreRow(
                line=line,
                who=a.ticket,
                score="" if a == absent else _text(min(96.0, max(45.0, self.rng.gauss(71, 9)))),
                absent=a == absent,
            )
            for line, a in enumerate(qualified, start=2)
        ]
        campaigns.stage_scores_import(
            actor=o, campaign=campaign, stage="written", rows=rows, source=f"{title}笔试成绩.xlsx"
        )
        campaigns.stage_advance(actor=o, campaign=campaign, stage="written")

        # 面试: the three judges score everyone, the panel is locked; cut 2:1 per post.
        panel, candidates = self.panel(campaign, "面试第一考官组", OPEN_CRITERIA)
        quality = {a.pk: self.rng.uniform(0.62, 0.92) for a in candidates}
        for judge in self.judges:
            for a in candidates:
                campaigns.panel_sheet_submit(
                    actor=judge, panel=panel, application=a, scores=self.sheet(OPEN_CRITERIA, quality[a.pk])
                )
        campaigns.panel_lock(actor=o, panel=panel)
        campaigns.stage_advance(actor=o, campaign=campaign, stage="interview")
        # 民主测评 counts for reference only: everyone goes on to 组织考察.
        campaigns.stage_advance(actor=o, campaign=campaign, stage="evaluation")
        campaigns.campaign_rank(actor=o, campaign=campaign)

        # After 组织考察 and the committee: the first placed at each post is appointed.
        appointed = list(campaign.applications.filter(assigned_post__isnull=False).order_by("place"))
        campaigns.campaign_decide(actor=o, campaign=campaign, appointed=appointed)
        campaigns.campaign_publish(actor=o, campaign=campaign)
        campaigns.campaign_reserve(actor=o, campaign=campaign, on=days.on(end, 80))
        campaigns.campaign_close(actor=o, campaign=campaign)
        return {p.unit_id for p in posts}

    def competition(self) -> None:
        """A 竞争上岗 of 林业站站长 in the forestry bureau, in scoring: the interview panel half done.

        Open to the bureau's own staff (its scope units); the posts' holders compete for them too.
        """
        o, days, today = self.officer, self.days, self.loader.today
        bureau = Unit.objects.filter(name=data.FORESTRY_BUREAU, parent=self.loader.root).first()
        stations = list(
            Post.objects.filter(
                unit__parent=bureau, unit__name__endswith="林业站", kind=PostKind.MIDDLE_HEAD, is_active=True
            )
            .select_related("unit")
            .order_by("id")
            if bureau is not None
            else []
        )
        if bureau is None or len(stations) < 3:
            raise ServiceError(MSG_NOTHING.format(what="设有林业站的县林业局"))
        posts = sorted(self.rng.sample(stations, 3), key=lambda p: p.pk)
        start = days.back(today, 35)
        end = days.on(start, 7)
        cutoff = end
        title = f"{start.year}年{bureau.name}林业站站长竞争上岗"
        campaign = campaigns.campaign_create(
            actor=o,
            kind=CampaignKind.COMPETITION,
            title=title,
            unit=bureau,
            announcement=(
                f"为加强基层林业站干部队伍建设，经局党组研究，在{bureau.name}范围内开展林业站站长竞争上岗，"
                f"职位为{'、'.join(str(p) for p in posts)}，各 1 名。"
                f"报名时间为{cn_date(start)}至{cn_date(end)}。"
                "按照笔试 30%、面试 40%、民主测评 30% 计算综合成绩，按 2:1 的比例确定组织考察对象。"
            ),
            registration_start=start,
            registration_end=end,
            cutoff=cutoff,
            eligibility={**COMPETITION_ELIGIBILITY, "announcement": f"《{title}实施方案》"},
            scope_units=[bureau],
        )
        offered = [campaigns.campaign_post_add(actor=o, campaign=campaign, post=p) for p in posts]
        campaigns.campaign_open(actor=o, campaign=campaign)
        found = self.applicants(
            cutoff=cutoff,
            ages=(25, 45),
            educations=(*_DEGREES, Education.COLLEGE),
            party=False,
            units=[bureau.pk],
        )
        # The holders of the posts compete for them (in a 竞争上岗 every post is filled anew).
        holders = {
            t.cadre_id: t.post_id
            for t in Tenure.objects.filter(post__in=posts, end_date__isnull=True).order_by("id")
        }
        found.sort(key=lambda c: c.pk not in holders)  # stable: the holders first, the rest shuffled
        chosen = found[:COMPETITION_APPLICANTS]
        if len(chosen) < len(posts) * 2:
            raise ServiceError(MSG_NOTHING.format(what="符合竞争上岗报名条件的县林业局干部"))
        self.loader.take(chosen)
        by_post = {cp.post_id: cp for cp in offered}
        rows: list[tuple[Cadre, CampaignPost, CampaignPost | None]] = [
            (c, by_post[holders[c.pk]] if c.pk in holders else self.rng.choice(offered), None) for c in chosen
        ]
        rows.sort(key=lambda r: r[0].pk)
        campaigns.applications_enter_bulk(actor=o, campaign=campaign, rows=rows)
        campaigns.campaign_close_registration(actor=o, campaign=campaign)
        self.review(campaign)
        campaigns.campaign_start_scoring(actor=o, campaign=campaign)
        for a in campaign_selectors.stage_applications(campaign, "written"):
            score = _text(min(95.0, max(50.0, self.rng.gauss(74, 8))))
            campaigns.stage_score_set(actor=o, application=a, stage="written", score=score)
        campaigns.stage_advance(actor=o, campaign=campaign, stage="written")
        panel, candidates = self.panel(campaign, "面试考官组", COMPETITION_CRITERIA)
        quality = {a.pk: self.rng.uniform(0.6, 0.9) for a in candidates}
        # The interview is under way: kaoguan1 has scored the first two, kaoguan2 everyone,
        # kaoguan3 half; nobody can lock the panel yet.
        done = {0: 2, 1: len(candidates), 2: (len(candidates) + 1) // 2}
        for n, judge in enumerate(self.judges):
            for a in candidates[: done.get(n, 0)]:
                campaigns.panel_sheet_submit(
                    actor=judge,
                    panel=panel,
                    application=a,
                    scores=self.sheet(COMPETITION_CRITERIA, quality[a.pk]),
                )

    def open_selection(self, exclude: set[int]) -> None:
        """A 公开选拔 in registration today, announced, with a few applications and ``baoming``'s own."""
        o, days, today = self.officer, self.days, self.loader.today
        start = days.back(today, 6)
        end = days.on(today, 14)
        cutoff = end
        first = self.deputy_post(start, exclude)
        posts = (first, self.deputy_post(start, {*exclude, first.unit_id}))
        earlier = Campaign.objects.filter(
            kind=CampaignKind.OPEN_SELECTION, registration_start__year=start.year
        ).exists()
        title = f"{start.year}年示例县公开选拔副科级领导干部{'（第二批）' if earlier else ''}"
        campaign = campaigns.campaign_create(
            actor=o,
            kind=CampaignKind.OPEN_SELECTION,
            title=title,
            unit=self.loader.root,
            announcement=(
                f"经县委研究决定，面向全县公开选拔副科级领导干部 {len(posts)} 名，"
                f"职位为{'、'.join(str(p) for p in posts)}，每名报名人员可填报两个志愿。"
                f"报名时间为{cn_date(start)}至{cn_date(end)}，年龄、工作年限等计算至{cn_date(cutoff)}。"
                "符合条件的人员可在本页面在线报名并上传学历、学位证书等材料，"
                "报名后可凭所设账号查询本人报名和审查情况。"
                "选拔按照报名、资格审查、笔试、面试、民主测评、组织考察的程序进行，"
                "笔试、面试成绩各占综合成绩的 50%。"
            ),
            registration_start=start,
            registration_end=end,
            cutoff=cutoff,
            eligibility={**OPEN_ELIGIBILITY, "announcement": f"《{title}公告》"},
            allow_second_choice=True,
            reserve_top_n=6,
            reserve_level=ReserveLevel.DEPUTY_SECTION,
        )
        offered = [campaigns.campaign_post_add(actor=o, campaign=campaign, post=p) for p in posts]
        campaigns.campaign_open(actor=o, campaign=campaign)
        found = self.applicants(cutoff=cutoff, ages=(27, 40), educations=_DEGREES, party=True)
        cadres = found[:RUNNING_APPLICANTS]
        self.loader.take(cadres)
        for cadre in cadres:
            first_choice, second_choice = self.choices(offered, 0.5)
            campaigns.application_enter(
                actor=o,
                campaign=campaign,
                cadre=cadre,
                first_choice=first_choice,
                second_choice=second_choice,
            )
        # Registered on the public page today: someone without a login, and the demo applicant.
        for user in (None, self.applicant):
            first_choice, second_choice = self.choices(offered, 0.5)
            campaigns.application_register(
                campaign=campaign,
                data=self.outsider(cutoff, (27, 35)),
                first_choice=first_choice,
                second_choice=second_choice,
                user=user,
                on=today,
            )
