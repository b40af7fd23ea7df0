"""Campaign statistics counted by the database equal the rule fed every record, in a fixed number of queries.

``selectors.campaign_statistics`` aggregates the applications per first choice and the post holders
(count, oldest, youngest, the exact sum of ages); ``reference`` below is what it replaced: every
application and every holder read into Python and handed to ``rules.campaign_statistics``.
"""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest

from ganbu.campaigns import selectors
from ganbu.campaigns.choices import ApplicationStatus, Outcome
from ganbu.campaigns.models import Application, Campaign
from ganbu.registry.choices import DocumentItemKind, PoliticalStatus, Rank
from ganbu.registry.models import AppointmentDocument, Cadre, DocumentItem, Tenure
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules import campaign as rules
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.retirement import Gender

from .scene import open_campaign, register

pytestmark = pytest.mark.django_db

D = dt.date
_seq = count(1)


def reference(campaign: Campaign, on: dt.date) -> rules.CampaignStatistics:
    """The figures the way they were computed before: every application and holder read into Python."""
    posts = {str(cp.pk): cp.places for cp in campaign.posts.all()}
    applicants = [
        rules.ApplicantRecord(
            key=str(pk),
            post_key=str(first_choice),
            eligible=status == ApplicationStatus.QUALIFIED or outcome == Outcome.APPOINTED,
        )
        for pk, first_choice, status, outcome in campaign.applications.values_list(
            "pk", "first_choice_id", "status", "outcome"
        )
    ]
    appointees = [
        rules.AppointeeRecord(
            key=f"c{a.applicant.cadre_id}" if a.applicant.cadre_id else f"a{a.applicant_id}",
            birth_date=a.applicant.birth_date,
            gender=Gender.FEMALE if a.applicant.gender == "F" else Gender.MALE,
            party_member=a.applicant.political_status
            in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY),
            ordinary_cadre=a.applicant.rank == Rank.STAFF,
        )
        for a in campaign.applications.filter(outcome=Outcome.APPOINTED).select_related("applicant")
    ]
    post_ids = list(campaign.posts.values_list("post_id", flat=True))
    holders = list(
        Tenure.objects.filter(post_id__in=post_ids, start_date__lte=campaign.registration_start)
        .exclude(end_date__lte=campaign.registration_start)
        .select_related("cadre")
    )
    return rules.campaign_statistics(
        applicants=applicants,
        posts=posts,
        appointees=appointees,
        on=on,
        former_holders=[f"c{t.cadre_id}" for t in holders],
        holders_before=[t.cadre.birth_date for t in holders],
        holders_after=[a.birth_date for a in appointees] if holders else [],
    )


def hold(cadre: Cadre, post, start: dt.date, end: dt.date | None = None) -> Tenure:
    """A tenure of ``post`` written directly (the statistics only read tenures)."""
    document = AppointmentDocument.objects.create(
        number=f"测〔2020〕{next(_seq)}号", title="任免", issued_on=start
    )
    item = DocumentItem.objects.create(
        document=document, kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=start
    )
    return Tenure.objects.create(cadre=cadre, post=post, start_date=start, end_date=end, start_item=item)


def grow(scene, n: int, start: int) -> list[Application]:
    """``n`` more registrations, alternating posts, ages and genders."""
    return [
        register(scene, seq, post=seq % 2, age=25 + seq % 14, female=bool(seq % 3))
        for seq in range(start, start + n)
    ]


@pytest.fixture
def scene(tree, officer):
    """An open campaign with six registrations, two qualified, one appointed cadre who held a post."""
    scene = open_campaign(tree, officer)
    apps = grow(scene, 6, 1)
    Application.objects.filter(pk__in=[apps[0].pk, apps[1].pk]).update(status=ApplicationStatus.QUALIFIED)
    Application.objects.filter(pk=apps[2].pk).update(status=ApplicationStatus.REJECTED)
    start = scene.campaign.registration_start
    first, second = scene.posts[0].post, scene.posts[1].post
    leap = CadreFactory(unit=tree.finance, birth_date=D(1972, 2, 29))
    late = CadreFactory(unit=tree.finance, birth_date=D(1969, 12, 31))
    early = CadreFactory(unit=tree.town, birth_date=D(1980, 1, 1))
    hold(leap, first, D(2015, 3, 1))
    hold(leap, second, D(2016, 3, 1))  # holds both posts: counted twice, as a holder per tenure
    hold(late, second, D(2010, 1, 1), end=start + dt.timedelta(days=5))  # still held on the start
    hold(early, first, D(2010, 1, 1), end=start)  # ended on the start: not a holder
    hold(early, second, start + dt.timedelta(days=1))  # began after the start: not a holder
    # The appointee is the cadre ``late``: appointed again, so not "落聘".
    appointee = apps[3]
    appointee.applicant.cadre = late
    appointee.applicant.rank = Rank.STAFF
    appointee.applicant.save()
    Application.objects.filter(pk=appointee.pk).update(outcome=Outcome.APPOINTED)
    return scene


DAYS = [D(2026, 12, 7), D(2027, 2, 28), D(2027, 3, 1), D(2028, 2, 28), D(2028, 2, 29), D(2029, 12, 31)]


@pytest.mark.parametrize("on", DAYS)
def test_the_counted_figures_equal_the_rule_given_every_record(scene, on):
    campaign = Campaign.objects.get(pk=scene.campaign.pk)
    counted = selectors.campaign_statistics(campaign, on)
    assert counted == reference(campaign, on)
    assert counted.before_ages is not None and counted.before_ages.count == 3
    assert counted.not_reselected == 1 and counted.appointed == 1 and counted.ordinary_promoted == 1


def test_a_day_before_a_birth_is_refused_as_before(scene):
    campaign = Campaign.objects.get(pk=scene.campaign.pk)
    with pytest.raises(RuleInputError):
        selectors.campaign_statistics(campaign, D(1975, 1, 1))


def test_no_holders_gives_no_before_and_after(tree, officer):
    scene = open_campaign(tree, officer)
    grow(scene, 3, 1)
    campaign = Campaign.objects.get(pk=scene.campaign.pk)
    counted = selectors.campaign_statistics(campaign, D(2026, 12, 7))
    assert counted == reference(campaign, D(2026, 12, 7))
    assert counted.before_ages is None and counted.after_ages is None


def test_the_statistics_take_the_same_queries_at_two_sizes(scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = Campaign.objects.get(pk=scene.campaign.pk)
    with CaptureQueriesContext(connection) as small:
        selectors.campaign_statistics(campaign, D(2026, 12, 7))
    more = grow(scene, 40, 100)
    Application.objects.filter(pk__in=[a.pk for a in more[:20]]).update(status=ApplicationStatus.QUALIFIED)
    for n in range(10):
        hold(
            CadreFactory(unit=scene.posts[0].post.unit, birth_date=D(1970 + n, 1 + n, 1)),
            scene.posts[n % 2].post,
            D(2012, 1, 1),
        )
    with CaptureQueriesContext(connection) as large:
        selectors.campaign_statistics(campaign, D(2026, 12, 7))
    assert len(small) == len(large) == 4


def test_the_campaign_list_counts_applications_and_posts_each_once(tree, officer) -> None:
    """Two posts and three applications: the list says 2 and 3 (its counts are separate subqueries)."""
    scene = open_campaign(tree, officer)
    for seq in (1, 2, 3):
        register(scene, seq, post=seq % 2)
    open_campaign(tree, officer, title="另一次选拔无人报名")
    rows = {c.title: (c.posts_count, c.applications_count) for c in selectors.campaign_list(user=officer)}
    assert rows == {scene.campaign.title: (2, 3), "另一次选拔无人报名": (2, 0)}
