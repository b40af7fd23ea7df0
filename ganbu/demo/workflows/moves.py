"""The workflows' last layer: the ways down and out (能上能下) and the veterans who retire."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence

from ganbu.core.errors import ServiceError
from ganbu.exits import services as exits
from ganbu.policy.selectors import policy_value
from ganbu.registry import services as registry
from ganbu.registry.choices import (
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    DocumentItemKind,
    Education,
    ManagementAuthority,
    PoliticalStatus,
    PostKind,
    Rank,
    UnitKind,
)
from ganbu.registry.models import (
    Assessment,
    Cadre,
    Post,
    Tenure,
    Unit,
)
from ganbu.registry.services import ItemInput
from ganbu.rules.dates import age_on
from ganbu.rules.exits import ExitKind, ProceedingKind
from ganbu.rules.idcard import check_char
from ganbu.rules.retirement import RetirementCategory, early_exit_date, statutory_retirement_date
from ganbu.voting.models import BallotResult

from .. import data
from .common import (
    _LEADERS,
    COUNTY,
    MSG_NOTHING,
    ORG,
)
from .selections import _Selections


class _Loader(_Selections):
    """Makes the workflows in a fixed order; every random choice goes through ``self.rng``."""

    # ------------------------------------------------------------ exits

    def later(self, on: dt.date, job: Callable[[], None]) -> None:
        """Schedule one exit for its date: exits are chosen in a fixed order but recorded in date order,
        so that each issuing body's document numbers rise with the dates, as a year's documents do."""
        self.jobs.append((on, len(self.jobs), job))

    def run_jobs(self) -> None:
        """Record the scheduled exits, earliest first."""
        for _, _, job in sorted(self.jobs, key=lambda j: (j[0], j[1])):
            job()
        self.jobs.clear()

    def decision(
        self, on: dt.date, reason: str, *, prefix: str = "示委", title: str = "", body: str = COUNTY
    ) -> exits.Decision:
        """A decision taken and in force on ``on`` (so each new tenure starts on its document's date)."""
        return exits.Decision(
            decided_on=on,
            effective_on=on,
            reason=reason,
            document_number=self.number(prefix, on.year),
            document_title=title,
            issuing_body=body,
        )

    def leaders(self, kinds: Sequence[str], before: dt.date) -> list[Tenure]:
        """Current tenures of ``kinds`` since ``before`` of free serving cadres in county organs and towns."""
        return [
            t
            for c, t in sorted(self.current.items())
            if c not in self.busy
            and t.post.kind in kinds
            and t.start_date <= before
            and t.cadre.status == CadreStatus.SERVING
            and self.top(t.post.unit_id).kind in (UnitKind.COUNTY_ORGAN, UnitKind.TOWN)
        ]

    def early_exits(self) -> None:
        """离岗退养 of three leaders on reaching the county age (RET-06) in the last two years."""
        men = int(policy_value("exit.age_men", self.past).value)
        women = int(policy_value("exit.age_women", self.past).value)
        due = []
        for t in self.leaders(_LEADERS, self.past - dt.timedelta(days=365)):
            reached = early_exit_date(t.cadre.birth_date, t.cadre.gender, men_age=men, women_age=women)
            on = self.days.on(reached, 15)
            if self.past - dt.timedelta(days=700) <= reached and on <= self.past and t.start_date < reached:
                due.append((on, t))
        for on, t in self.rng.sample(due, min(3, len(due))):
            self.take([t.cadre])
            self.later(on, functools.partial(self._early_exit, t.cadre, on))

    def _early_exit(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 离岗退养 and its 简历 line."""
        exits.early_exit_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "达到本县领导干部离岗退养年龄，本人已知悉并服从组织安排。",
                prefix="示组字",
                title=f"关于{cadre.name}同志离岗退养的通知",
                body=ORG,
            ),
        )
        self.resume(cadre, on, "离岗退养")

    def reassignments(self) -> None:
        """改任非领导职务 of two deputies in their fifties, each to the unit's 副主任科员 post."""
        for days_ago, reason in (
            (560, "本人申请，因身体原因不再担任领导职务，经县委研究同意改任非领导职务。"),
            (130, "任现职时间较长、年龄较大，经县委研究改任非领导职务，保留原职级。"),
        ):
            on = self.days.back(self.past, days_ago)
            options = []
            for t in self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365)):
                limit = 55 if t.cadre.gender == "M" else 50
                if (
                    t.cadre.rank != Rank.DEPUTY_SECTION
                    or not limit - 4 <= age_on(t.cadre.birth_date, on) < limit
                ):
                    continue
                post = Post.objects.filter(
                    unit_id=t.post.unit_id, kind=PostKind.NON_LEADERSHIP, rank=Rank.DEPUTY_SECTION
                ).first()
                if post is not None:
                    options.append((t, post))
            if options:
                t, post = self.rng.choice(options)
                self.take([t.cadre])
                self.later(on, functools.partial(self._reassign, t.cadre, on, reason, post))

    def _reassign(self, cadre: Cadre, on: dt.date, reason: str, post: Post) -> None:
        """Record one 改任非领导职务 and its 简历 line."""
        exits.reassign_non_leadership(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(on, reason, title=f"关于{cadre.name}同志职务任免的通知"),
            new_post=post,
        )
        self.resume(cadre, on, str(post))

    def removals(self) -> None:
        """免职 of two deputies found unfit for their post (不适宜担任现职), one with a poor annual rating."""
        for days_ago in (420, 60):
            on = self.days.back(self.past, days_ago)
            options = self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365))
            if not options:
                continue
            poor = {
                a.cadre_id: a.get_grade_display()
                for a in Assessment.objects.filter(
                    year=on.year - 1, grade__in=[AssessmentGrade.BASIC, AssessmentGrade.INCOMPETENT]
                )
            }
            rated = [t for t in options if t.cadre_id in poor]
            t = self.rng.choice(rated or options)
            grade = poor.get(t.cadre_id)
            reason = (
                f"{on.year - 1}年度考核被确定为{grade}等次，经组织考核认定不适宜担任现职，免去其领导职务。"
                if grade
                else "工作不担当、不作为，分管工作连续两年考核排名靠后，经组织考核认定不适宜担任现职，"
                "免去其领导职务。"
            )
            self.take([t.cadre])
            self.later(on, functools.partial(self._remove, t, on, reason))

    def _remove(self, tenure: Tenure, on: dt.date, reason: str) -> None:
        """Record one 免职 and close the 简历 line of the post."""
        cadre = tenure.cadre
        exits.removal_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(on, reason, title=f"关于免去{cadre.name}同志职务的通知"),
        )
        self.resume(cadre, on, f"免去{tenure.post}职务，待安排")

    def resignations(self) -> None:
        """辞去领导职务 after an audit that has ended, and 辞去公职 of a young member of staff."""
        on = self.days.back(self.past, 200)
        options = self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365))
        if options:
            t = self.rng.choice(options)
            self.take([t.cadre])
            self.later(on, functools.partial(self._resign_post, t, on))
        on = self.days.back(self.past, 330)
        since = on - dt.timedelta(days=365)
        staff = self.pool(kinds=(PostKind.STAFF,), since=since, on=on, ages=(26, 33), party=False)
        if staff:
            cadre = self.rng.choice(staff)
            self.take([cadre])
            self.later(on, functools.partial(self._resign_entire, cadre, on))

    def _resign_post(self, tenure: Tenure, on: dt.date) -> None:
        """The audit of the leader's term (opened and ended), then the 辞去领导职务 it no longer blocks."""
        cadre = tenure.cadre
        audit = exits.proceeding_open(
            actor=self.officer,
            cadre=cadre,
            kind=ProceedingKind.AUDIT,
            body="县审计局",
            started_on=self.days.back(on, 120),
            note="任期经济责任审计",
        )
        exits.proceeding_close(
            actor=self.officer,
            proceeding=audit,
            ended_on=self.days.back(on, 40),
            note="审计结束，未发现问题。",
        )
        exits.resignation_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on, "因个人原因，本人书面申请辞去领导职务。", title=f"关于{cadre.name}同志辞去领导职务的通知"
            ),
            entire=False,
        )
        self.resume(cadre, on, f"辞去{tenure.post}职务，待安排")

    def _resign_entire(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 辞去公职, approved by the county's personnel bureau."""
        exits.resignation_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "本人书面申请辞去公职，到企业工作，经审核无不得辞去公职的情形。",
                prefix="示人社",
                title=f"关于同意{cadre.name}同志辞去公职的通知",
                body="示例县人力资源和社会保障局",
            ),
            entire=True,
        )
        self.resume(cadre, on, "辞去公职")

    def open_proceeding(self) -> None:
        """A discipline review (纪律审查) still open, recorded by ``jiwei``: that cadre may not resign now."""
        options = self.leaders((PostKind.DEPUTY,), self.past - dt.timedelta(days=365))
        if not options:
            raise ServiceError(MSG_NOTHING.format(what="在职的领导副职"))
        t = self.rng.choice(options)
        self.take([t.cadre])
        exits.proceeding_open(
            actor=self.supervisor,
            cadre=t.cadre,
            kind=ProceedingKind.DISCIPLINE_REVIEW,
            body="县纪委监委",
            started_on=self.days.back(self.past, 25),
            note="根据问题线索立案审查",
        )

    def incompetence(self, result: BallotResult) -> None:
        """The incompetence path from the flagged evaluation: opened, confirmed by inspection, then 降职.

        The demotion lowers the rank by one level (公务员法 第五十条: 降低一个职务或者职级层次) and puts
        the cadre in a vacant 股长-level post of the unit, or among its staff when there is none.
        """
        cadre = result.item.cadre
        assert cadre is not None
        opened = self.days.back(self.past, 250)
        inspected = self.days.on(opened, 28)
        decided = self.days.on(inspected, 21)
        unit = self.top(self.current[cadre.pk].post.unit_id)
        offices = [u.pk for u in self.units.values() if u.parent_id == unit.pk]
        held = Tenure.objects.filter(end_date__isnull=True, post__unit_id__in=offices)
        taken = set(held.values_list("post_id", flat=True))
        post = (
            Post.objects.filter(unit_id__in=offices, kind=PostKind.MIDDLE_HEAD)
            .exclude(pk__in=taken)
            .select_related("unit")
            .order_by("id")
            .first()
            or Post.objects.filter(unit_id__in=offices, kind=PostKind.STAFF)
            .select_related("unit")
            .order_by("id")
            .first()
        )
        self.later(opened, functools.partial(self._incompetence, result, opened, inspected, decided, post))

    def _incompetence(
        self, result: BallotResult, opened: dt.date, inspected: dt.date, decided: dt.date, post: Post | None
    ) -> None:
        """Open the case from the result, record the inspection's conclusion, then the demotion."""
        cadre = result.item.cadre
        assert cadre is not None
        case = exits.incompetence_case_open(actor=self.officer, opened_on=opened, evaluation=result)
        exits.incompetence_case_conclude(
            actor=self.officer,
            case=case,
            confirmed=True,
            conclusion=(
                "经组织考察，该同志履职能力与岗位要求差距较大，分管工作推进不力，干部群众认可度低，认定不称职。"
            ),
            inspected_on=inspected,
            inspectors=f"县委组织部干部科：{'、'.join(self.team(2))}",
        )
        exits.incompetence_case_adjust(
            actor=self.officer,
            case=case,
            kind=ExitKind.DEMOTION,
            decision=self.decision(
                decided,
                "民主测评不称职票超过本县规定比例，经组织考察认定不称职，按规定降低一个职级层次任职。",
                title=f"关于{cadre.name}同志降职的通知",
            ),
            new_rank=Rank.MIDDLE_HEAD,
            new_post=post,
        )
        self.resume(cadre, decided, str(post) if post else "")

    def retirements(self) -> int:
        """退休 on the statutory date (RET-01/03) of two cadres, and one more due in December of this year.

        The generated county has no serving cadre old enough, so these three are entered first, as an
        officer would enter a long-serving cadre's record: the card, the two documents of a career
        (录用 in the 1980s, 主任科员 since 2012) and the 简历. Returns the number entered.
        """
        d = dt.timedelta
        # The third reaches the date in December of the current year, so this year's due list has him.
        due = dt.date(self.past.year, 12, 20) if self.past.month < 12 else self.past + d(days=50)
        plans = (
            ("M", RetirementCategory.MALE, self.past - d(days=480), True),
            ("F", RetirementCategory.FEMALE_55, self.past - d(days=170), True),
            ("M", RetirementCategory.MALE, due, False),
        )
        organs = [
            u
            for u in sorted(self.units.values(), key=lambda u: u.pk)
            if u.parent_id == self.root.pk
            and u.kind == UnitKind.COUNTY_ORGAN
            and Post.objects.filter(unit=u, kind=PostKind.NON_LEADERSHIP, rank=Rank.SECTION).exists()
        ]
        for gender, category, target, retire in plans:
            birth = _birth_for(target, category)
            cadre = self.veteran(gender, birth, self.rng.choice(organs))
            if retire:
                on = statutory_retirement_date(birth, category, as_of=target)
                self.later(on, functools.partial(self._retire, cadre, on))
        return len(plans)

    def _retire(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 退休 on the statutory date and its 简历 line."""
        exits.retirement_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "达到法定退休年龄，按规定办理退休手续。",
                prefix="示人社",
                title=f"关于{cadre.name}同志退休的通知",
                body="示例县人力资源和社会保障局",
            ),
        )
        self.resume(cadre, on, "退休")

    def veteran(self, gender: str, birth: dt.date, unit: Unit) -> Cadre:
        """A long-serving 主任科员 entered through the registry services, career and 简历 included."""
        o, rng = self.officer, self.rng
        work_start = dt.date(birth.year + 19, 8, 1)
        seq = rng.randrange(500) * 2 + (1 if gender == "M" else 0)
        first17 = f"{data.COUNTY_REGION_CODE}{birth:%Y%m%d}{seq:03d}"
        while Cadre.objects.filter(id_number__startswith=first17).exists():
            seq = (seq + 2) % 1000
            first17 = f"{data.COUNTY_REGION_CODE}{birth:%Y%m%d}{seq:03d}"
        school, speciality = rng.choice(data.TECHNICAL_SCHOOLS)
        cadre = registry.cadre_create(
            actor=o,
            data={
                "name": self.name(gender),
                "gender": gender,
                "birth_date": birth,
                "ethnicity": "汉族",
                "native_place": data.LOCAL_NATIVE_PLACE,
                "birthplace": data.LOCAL_NATIVE_PLACE,
                "political_status": PoliticalStatus.CPC,
                "party_join_date": dt.date(birth.year + 26, 6, 28),
                "work_start_date": work_start,
                "health": "健康",
                "ft_education": Education.TECHNICAL,
                "ft_school": f"{school}{speciality}专业",
                "ip_education": Education.COLLEGE,
                "ip_school": rng.choice(data.IN_SERVICE["college"]),
                "id_number": first17 + check_char(first17),
                "unit": unit,
                "status": CadreStatus.SERVING,
                "category": CadreCategory.PARTY_GOVERNMENT,
                "management_authority": ManagementAuthority.ORG_DEPARTMENT,
            },
            reason="补录老干部档案",
        )
        office = Unit.objects.filter(parent=unit).order_by("sort_order", "id").first() or unit
        staff = Post.objects.filter(unit=office, kind=PostKind.STAFF).order_by("id").first()
        senior = (
            Post.objects.filter(unit=unit, kind=PostKind.NON_LEADERSHIP, rank=Rank.SECTION)
            .order_by("id")
            .first()
        )
        assert staff is not None and senior is not None
        promoted = dt.date(2012, 3, 1)
        registry.document_issue(
            actor=o,
            number=self.number("示人", work_start.year),
            title=f"关于录用{cadre.name}同志为机关工作人员的通知",
            issued_on=work_start,
            issuing_body="示例县人事局",
            items=[
                ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=staff, effective_on=work_start),
                ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.STAFF, effective_on=work_start),
            ],
        )
        registry.document_issue(
            actor=o,
            number=self.number("示组字", promoted.year),
            title=f"关于{cadre.name}同志职务任免的通知",
            issued_on=promoted,
            issuing_body=ORG,
            items=[
                ItemInput(kind=DocumentItemKind.REMOVE, cadre=cadre, post=staff, effective_on=promoted),
                ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=senior, effective_on=promoted),
                ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.SECTION, effective_on=promoted),
            ],
        )
        for order, (start, end, text) in enumerate(
            (
                (
                    dt.date(work_start.year - 3, 9, 1),
                    dt.date(work_start.year, 7, 1),
                    f"{school}{speciality}专业学习",
                ),
                (work_start, promoted, str(staff)),
                (promoted, None, str(senior)),
            ),
            start=1,
        ):
            registry.resume_entry_save(
                actor=o,
                cadre=cadre,
                data={"start_date": start, "end_date": end, "text": text, "sort_order": order},
            )
        cadre.refresh_from_db()
        return cadre


def _birth_for(target: dt.date, category: RetirementCategory) -> dt.date:
    """The latest birth date whose statutory retirement date (law in force on ``target``) is not after it.

    The 2025 schedule adds a month per four months of birth, so a statutory date may jump past
    ``target``; the latest one on or before it keeps a retirement in the past and a due date in
    its year.
    """
    original = 60 if category is RetirementCategory.MALE else 55
    birth = dt.date(target.year - original, 1, 1) - dt.timedelta(days=3 * 366)
    while statutory_retirement_date(birth + dt.timedelta(days=1), category, as_of=target) <= target:
        birth += dt.timedelta(days=1)
    return birth
