"""Fixtures for the economic-audit tests: the exits' posts and leaders, a supervisor (the audit bureau)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.economic_audits import services
from ganbu.exits.tests.helpers import Posts, leader, make_posts

D = dt.date
COMMISSIONED_ON = D(2025, 4, 1)
SERVED, STARTED, REPORTED = D(2025, 4, 2), D(2025, 4, 7), D(2025, 5, 20)


@pytest.fixture
def posts(tree) -> Posts:
    """Posts of 县财政局 (局长, 副局长, a non-leadership post) and of the forestry station."""
    return make_posts(tree)


@pytest.fixture
def supervisor(make_user):
    """The audit bureau / 纪委 user (the supervisor role)."""
    return make_user("supervisor", display_name="县审计局")


@pytest.fixture
def head(officer, posts):
    """钱局长, 县财政局局长 since 2015-03-01 (born 1975): an audit subject."""
    return leader(officer, posts.head, D(1975, 6, 1), name="钱局长")


@pytest.fixture
def engagement(officer, head, posts):
    """A departure audit of the finance head registered (待委托)."""
    return services.engagement_create(
        actor=officer,
        cadre=head,
        post=posts.head,
        trigger="transfer",
        term_start=D(2015, 3, 1),
        term_end=D(2025, 3, 31),
        trigger_note="拟调任县林业局局长",
    )


def commissioned(actor, engagement, on=COMMISSIONED_ON):
    """``engagement`` commissioned by the department to the audit bureau on ``on``."""
    return services.engagement_commission(
        actor=actor,
        engagement=engagement,
        commissioned_on=on,
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=on + dt.timedelta(days=90),
    )


def reported(actor, engagement, *, served=SERVED, started=STARTED, reported_on=REPORTED):
    """``engagement`` (commissioned) taken through notice, start and report."""
    services.engagement_serve_notice(actor=actor, engagement=engagement, served_on=served)
    services.engagement_start(actor=actor, engagement=engagement, started_on=started)
    return services.engagement_report(
        actor=actor,
        engagement=engagement,
        reported_on=reported_on,
        report_number="示审经责〔2025〕3号",
        findings="任期内财政收支总体真实合法；专项资金拨付不及时 1 项。",
    )
