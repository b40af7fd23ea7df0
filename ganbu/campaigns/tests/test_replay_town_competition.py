"""The seed's 竞争上岗 in 12 towns, replayed through the services: 192 cadres for 72 mid-level posts.

Every post is re-filled and its holder competes. 笔试 30% → 面试 40% → 民主测评 30% (through the
voting engine) → 组织考察 at 2:1 per post by first and second choice; the statistics — competition
ratio, ordinary cadres promoted, holders not re-selected, mean age of the holders before and after —
are compared with counts made independently from the data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, Outcome
from ganbu.campaigns.models import Application
from ganbu.registry.choices import AssessmentGrade, Education, PostKind, Rank, UnitKind
from ganbu.registry.models import AppointmentDocument, Assessment, DocumentItem, Quota, Tenure
from ganbu.registry.tests.factories import CadreFactory, PostFactory, UnitFactory
from ganbu.rules.dates import age_on
from ganbu.rules.idcard import check_char
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind

D = dt.date
CUTOFF = D(2002, 6, 30)


def id_number(birth: dt.date, seq: int) -> str:
    """A valid ID number for a birth date and a sequence."""
    first17 = f"530103{birth:%Y%m%d}{(seq * 2 + 1) % 1000:03d}"  # odd: male, as the factory
    return first17 + check_char(first17)


def _cadre(unit, name, birth, seq, rank):
    cadre = CadreFactory(
        unit=unit,
        name=name,
        birth_date=birth,
        id_number=id_number(birth, seq),
        work_start_date=D(1990, 7, 1),
        highest_education=Education.COLLEGE,
        rank=rank,
    )
    Assessment.objects.create(cadre=cadre, year=CUTOFF.year - 1, grade=AssessmentGrade.COMPETENT)
    return cadre


@pytest.fixture
def towns(tree):
    """12 towns, each with 6 mid-level posts held since 1998 by 6 holders aged about 44, and 10 staff."""
    document = AppointmentDocument.objects.create(
        number="示任〔1998〕9号", title="任职", issued_on=D(1998, 3, 1)
    )
    out = []
    seq = 0
    for t in range(12):
        town = UnitFactory(name=f"第{t + 1}镇", parent=tree.root, kind=UnitKind.TOWN)
        Quota.objects.create(unit=town, kind=PostKind.MIDDLE_HEAD, number=3)
        Quota.objects.create(unit=town, kind=PostKind.MIDDLE_DEPUTY, number=3)
        posts, holders, staff = [], [], []
        for p in range(6):
            kind = PostKind.MIDDLE_HEAD if p < 3 else PostKind.MIDDLE_DEPUTY
            post = PostFactory(unit=town, title=f"办公室{p + 1}", kind=kind, rank=Rank.MIDDLE_HEAD)
            seq += 1
            holder = _cadre(town, f"{t + 1}镇在任{p}", D(1958 + p % 3, 1 + p, 10), seq, Rank.MIDDLE_HEAD)
            item = DocumentItem.objects.create(
                document=document, kind="appoint", cadre=holder, post=post, effective_on=D(1998, 3, 1)
            )
            Tenure.objects.create(cadre=holder, post=post, start_date=D(1998, 3, 1), start_item=item)
            posts.append(post)
            holders.append(holder)
        for n in range(10):
            seq += 1
            staff.append(_cadre(town, f"{t + 1}镇干部{n}", D(1964 + n % 8, 1 + n % 12, 5), seq, Rank.STAFF))
        out.append((town, posts, holders, staff))
    return out


def test_twelve_town_competition(officer, tree, towns):
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.COMPETITION,
        title="2002年12个镇中层干部竞争上岗",
        unit=tree.root,
        announcement="12个镇中层岗位全部竞争上岗。",
        registration_start=D(2002, 6, 1),
        registration_end=D(2002, 6, 20),
        cutoff=CUTOFF,
        eligibility={"max_age": 50, "min_education": "JUNIOR_COLLEGE", "min_service_years": 3},
        allow_second_choice=True,
        scope_units=[town for town, *_ in towns],
    )
    offered = {}
    for _town, posts, _, _ in towns:
        for post in posts:
            offered[post.pk] = services.campaign_post_add(actor=officer, campaign=campaign, post=post)
    services.campaign_open(actor=officer, campaign=campaign)
    rows = []
    for _town, posts, holders, staff in towns:
        for p, holder in enumerate(holders):
            rows.append((holder, offered[posts[p].pk], offered[posts[(p + 1) % 6].pk]))
        for n, cadre in enumerate(staff):
            rows.append((cadre, offered[posts[n % 6].pk], offered[posts[(n + 2) % 6].pk]))
    assert services.applications_enter_bulk(actor=officer, campaign=campaign, rows=rows) == 192
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for application in Application.objects.filter(campaign=campaign):
        assert application.findings == [], application.findings
        services.application_review(actor=officer, application=application, passed=True)
    services.campaign_start_scoring(actor=officer, campaign=campaign)

    apps = list(Application.objects.filter(campaign=campaign).select_related("applicant").order_by("pk"))

    # From each application's place in the list, not its id (PostgreSQL ids depend on earlier tests).
    place = {a.pk: n for n, a in enumerate(apps, start=1)}

    def score(a, salt):
        return str(55 + (place[a.pk] * salt) % 41)

    for stage, salt in (("written", 7), ("interview", 11)):
        services.stage_scores_import(
            actor=officer,
            campaign=campaign,
            stage=stage,
            rows=[
                services.ScoreRow(line=i + 2, who=a.applicant.id_number, score=score(a, salt))
                for i, a in enumerate(apps)
            ],
            source="成绩单",
        )
        services.stage_advance(actor=officer, campaign=campaign, stage=stage)

    # 民主测评 through the voting engine: one item per applicant, 10 voters, grades by a fixed pattern.
    ballot = voting.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="竞争上岗民主测评", unit=tree.root
    )
    items = {
        a.applicant.cadre_id: voting.ballot_item_add(actor=officer, ballot=ballot, cadre=a.applicant.cadre)
        for a in apps
    }
    codes = voting.credentials_issue(actor=officer, ballot=ballot, category="干部职工", count=10)
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    grades = ("excellent", "competent", "competent", "basic")
    for v, code in enumerate(codes):
        content = {item.pk: {"grade": grades[(cadre_id + v) % 4]} for cadre_id, item in items.items()}
        voting.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    voting.ballot_close(actor=officer, ballot=ballot)
    voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert (
        services.evaluation_scores_from_ballot(
            actor=officer, campaign=campaign, stage="evaluation", ballot=ballot
        )
        == 192
    )
    advance = services.stage_advance(actor=officer, campaign=campaign, stage="evaluation")
    finalists = Application.objects.filter(campaign=campaign, stage_reached="inspection").count()
    assert advance.passed == finalists >= 144  # 2 per post, ties at a post's line kept

    services.campaign_rank(actor=officer, campaign=campaign)
    assigned = list(Application.objects.filter(campaign=campaign, assigned_post__isnull=False))
    assert len(assigned) == 72 and len({a.assigned_post_id for a in assigned}) == 72
    services.campaign_decide(actor=officer, campaign=campaign, appointed=assigned)
    services.campaign_publish(actor=officer, campaign=campaign)

    # Independent counts.
    apps = list(Application.objects.filter(campaign=campaign).select_related("applicant"))
    appointees = [a for a in apps if a.outcome == Outcome.APPOINTED]
    holder_ids = {h.pk for _, _, holders, _ in towns for h in holders}
    holder_births = [h.birth_date for _, _, holders, _ in towns for h in holders]
    stats = selectors.campaign_statistics(campaign, CUTOFF)
    assert (stats.applicants, stats.posts, stats.appointed) == (192, 72, 72)
    assert stats.ratio.exact == Fraction(192, 72) and stats.ratio.text == "2.67:1"
    assert stats.eligible == sum(1 for a in apps if a.status == ApplicationStatus.QUALIFIED) == 192
    assert stats.ordinary_promoted == sum(1 for a in appointees if a.applicant.rank == Rank.STAFF)
    assert stats.not_reselected == len(holder_ids - {a.applicant.cadre_id for a in appointees})
    assert stats.not_reselected + (72 - stats.ordinary_promoted) == 72
    mean_before = Fraction(sum(age_on(b, CUTOFF) for b in holder_births), 72)
    mean_after = Fraction(sum(age_on(a.applicant.birth_date, CUTOFF) for a in appointees), 72)
    assert stats.before_ages is not None and stats.after_ages is not None
    assert stats.before_ages.mean == mean_before and stats.after_ages.mean == mean_after
    assert stats.after_ages.mean_text == round(
        Decimal(mean_after.numerator) / Decimal(mean_after.denominator), 1
    )
    assert any("平均年龄" in line for line in stats.lines)
