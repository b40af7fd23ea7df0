"""The bulk entry (批量录入) records what entering the cadres one by one records, with a fixed number
of reads and writes: per row only the audit event remains."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.campaigns import services
from ganbu.campaigns.models import Applicant, Application, IdentityStatus
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import AssessmentGrade, Rank
from ganbu.registry.models import Assessment, RankRecord, RewardSanction
from ganbu.registry.tests.factories import CadreFactory

from .scene import born, id_number, open_campaign, today

pytestmark = pytest.mark.django_db


def cadres(tree, start: int, n: int) -> list:
    """``n`` registry cadres with ID numbers, ranks, ratings; every third sanctioned, every fourth too old."""
    made = []
    for seq in range(start, start + n):
        birth = born(60 if seq % 4 == 0 else 30 + seq % 7)
        cadre = CadreFactory(
            name=f"干部{seq % 420:03d}",  # 420: the cycle of every pattern here, so sets can be compared
            unit=tree.finance if seq % 2 else tree.forestry,
            birth_date=birth,
            id_number=id_number(birth, seq),
            political_status="cpc",
            highest_education="university",
            work_start_date=dt.date(today().year - 9, 7, 1),
            rank=Rank.STAFF,
        )
        RankRecord.objects.create(cadre=cadre, rank=Rank.STAFF, start_date=dt.date(2015, 3, 1))
        RankRecord.objects.create(cadre=cadre, rank=Rank.STAFF, start_date=dt.date(2019, 3, 1))
        Assessment.objects.create(
            cadre=cadre,
            year=today().year - 1,
            grade=AssessmentGrade.EXCELLENT if seq % 5 else AssessmentGrade.BASIC,
        )
        if seq % 3 == 0:
            RewardSanction.objects.create(
                cadre=cadre,
                kind="sanction",
                name="诫勉谈话",
                decided_on=today() - dt.timedelta(days=90),
                approving_body="县纪委",
            )
        made.append(cadre)
    return made


def recorded(campaign) -> list[tuple]:
    """What an entry leaves: per application in ticket order, the applicant and the findings."""
    posts = {p.pk: n for n, p in enumerate(campaign.posts.order_by("pk"))}
    return [
        (
            a.ticket[-5:],
            a.applicant.name,
            a.applicant.identity,
            a.applicant.unit_id,
            a.applicant.rank_since,
            a.applicant.unit_name,
            a.applicant.post_text,
            posts[a.first_choice_id],
            a.findings,
        )
        for a in Application.objects.filter(campaign=campaign).select_related("applicant").order_by("ticket")
    ]


def test_bulk_entry_records_what_one_by_one_entry_records(officer, tree):
    owners = []
    entered = []
    for start, title in ((1, "批量录入"), (421, "逐个录入")):
        people = cadres(tree, start, 12)
        # One cadre's number is owned by a record staff verified before the cadre was in the registry.
        owners.append(
            Applicant.objects.create(
                id_number=people[5].id_number,
                name="核验",
                gender="M",
                birth_date=people[5].birth_date,
                political_status="cpc",
                identity=IdentityStatus.VERIFIED,
            )
        )
        entered.append((people, open_campaign(tree, officer, title=title)))
    (bulk_people, bulk), (single_people, single) = entered
    rows = [(c, bulk.posts[n % 2], None) for n, c in enumerate(bulk_people)]
    assert services.applications_enter_bulk(actor=officer, campaign=bulk.campaign, rows=rows) == 12
    for n, cadre in enumerate(single_people):
        services.application_enter(
            actor=officer, campaign=single.campaign, first_choice=single.posts[n % 2], cadre=cadre
        )
    assert recorded(bulk.campaign) == recorded(single.campaign)
    assert [Applicant.objects.get(pk=o.pk).cadre_id for o in owners] == [
        bulk_people[5].pk,
        single_people[5].pk,
    ]
    assert any(r[8] for r in recorded(bulk.campaign))  # some findings, so they were compared
    assert AuditEvent.objects.filter(event_type="campaign.application_submitted").count() == 24
    # Again, with every applicant record there already (updated from the registry, not created),
    # three cadres having moved to another post meanwhile.
    for cadre in bulk_people[:3] + single_people[:3]:
        cadre.current_post_text = "县财政局副局长"
        cadre.save()
    Assessment.objects.filter(cadre__in=bulk_people + single_people).update(grade=AssessmentGrade.INCOMPETENT)
    again = open_campaign(tree, officer, title="批量再录"), open_campaign(tree, officer, title="逐个再录")
    rows = [(c, again[0].posts[n % 2], None) for n, c in enumerate(bulk_people)]
    services.applications_enter_bulk(actor=officer, campaign=again[0].campaign, rows=rows)
    for n, cadre in enumerate(single_people):
        services.application_enter(
            actor=officer, campaign=again[1].campaign, first_choice=again[1].posts[n % 2], cadre=cadre
        )
    assert recorded(again[0].campaign) == recorded(again[1].campaign)
    assert [r[6] for r in recorded(again[0].campaign)].count("县财政局副局长") == 3
    assert Applicant.objects.count() == 24


def test_bulk_entry_refuses_by_row_and_writes_nothing(officer, tree, make_user):
    people = cadres(tree, 40, 4)
    scene = open_campaign(tree, officer, title="有错的批量录入")
    services.application_enter(
        actor=officer, campaign=scene.campaign, first_choice=scene.posts[0], cadre=people[1]
    )
    people[2].id_number = None
    people[2].save()
    first = scene.posts[0]
    rows = [
        (people[0], first, None),
        (people[1], first, None),
        (people[2], first, None),
        (people[0], first, first),
    ]
    before = Application.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.applications_enter_bulk(actor=officer, campaign=scene.campaign, rows=rows)
    assert caught.value.messages == [
        f"第 2 行（{people[1].name}）：{people[1].name}已报名本次选拔。",
        f"第 3 行（{people[2].name}）：{people[2].name}的干部档案没有身份证号，请先补录。",
        f"第 4 行（{people[0].name}）：{people[0].name}已报名本次选拔。",
    ]
    assert Application.objects.count() == before


def test_bulk_entry_reads_a_fixed_number_of_queries_per_entry(officer, tree):
    counts = []
    for n, (start, size) in enumerate(((100, 3), (200, 9))):
        people = cadres(tree, start, size)
        scene = open_campaign(tree, officer, title=f"查询数{n}")
        rows = [(c, scene.posts[0], None) for c in people]
        with CaptureQueriesContext(connection) as ctx:
            services.applications_enter_bulk(actor=officer, campaign=scene.campaign, rows=rows)
        counts.append(len(ctx.captured_queries))
    # Six more rows cost six audit events (three statements each: the chain is appended in order),
    # no reads and no writes of their own.
    assert counts[1] - counts[0] == 6 * 3
