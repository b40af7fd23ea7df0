"""Test support for the Excel import and export: a campaign at the scoring status, workbooks built here.

``scoring_campaign`` goes through the services for the campaign's own life cycle (create, post, open,
close registration, start scoring) and bulk-creates the qualified applications in between, so that a
1,000-row import can be tested without 1,000 registrations. ``workbook`` builds an .xlsx in memory
from rows of cell values, as a person would type them into Excel.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from ganbu.campaigns import services
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind
from ganbu.campaigns.models import Applicant, Application, Campaign
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Quota
from ganbu.registry.tests.factories import PostFactory
from ganbu.rules.idcard import check_char

HEADER = ["准考证号", "身份证号", "姓名", "成绩", "缺考"]


def birth_of(seq: int) -> dt.date:
    """The birth date encoded in ``id_number(seq)``: from 1 January 1985, one day per 500 numbers."""
    return dt.date(1985, 1, 1) + dt.timedelta(days=seq // 500)


def id_number(seq: int) -> str:
    """A valid ID number (GB 11643-1999) of a woman, a different one for each ``seq`` below 3,000,000."""
    first17 = f"530102{birth_of(seq):%Y%m%d}{(seq % 500) * 2:03d}"
    return first17 + check_char(first17)


def scoring_campaign(officer: Any, unit: Any, count: int, *, title: str = "公开选拔测试") -> Campaign:
    """An open selection of ``unit`` at the scoring status with ``count`` qualified applicants in 笔试.

    Applicant ``n`` is 考生{n:04d}, with ticket ``{campaign:03d}{n:06d}`` (a layout of its own, so
    the tickets of the first campaigns start with zeros); two posts are offered.
    """
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title=title,
        unit=unit,
        announcement="面向全县公开选拔副科级领导干部。",
        registration_start=dt.date(2025, 3, 1),
        registration_end=dt.date(2025, 3, 15),
        cutoff=dt.date(2025, 3, 31),
        eligibility={"max_age": 45},
    )
    Quota.objects.get_or_create(unit=unit, kind=PostKind.DEPUTY, defaults={"number": 5})
    posts = [
        services.campaign_post_add(
            actor=officer,
            campaign=campaign,
            post=PostFactory(unit=unit, title=title_, kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION),
        )
        for title_ in ("副局长", "副主任")
    ]
    services.campaign_open(actor=officer, campaign=campaign)
    services.campaign_close_registration(actor=officer, campaign=campaign)
    base = Applicant.objects.count() * 7 + campaign.pk * 1000
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(
                name=f"考生{n:04d}",
                gender="F",
                birth_date=birth_of(base + n),
                id_number=id_number(base + n),
                political_status="cpc",
                education="university",
                unit_name="县直单位",
            )
            for n in range(count)
        ]
    )
    Application.objects.bulk_create(
        [
            Application(
                campaign=campaign,
                applicant=a,
                first_choice=posts[n % 2],
                ticket=f"{campaign.pk:03d}{n:06d}",
                status=ApplicationStatus.QUALIFIED,
                stage_reached="written",
            )
            for n, a in enumerate(applicants)
        ]
    )
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def applications(campaign: Campaign) -> list[Application]:
    """The campaign's applications by ticket, with their applicants."""
    return list(campaign.applications.select_related("applicant").order_by("ticket"))


def workbook(rows: Sequence[Sequence[Any]], *, header: Sequence[str] | None = HEADER) -> bytes:
    """An .xlsx whose first sheet holds ``header`` (unless ``None``) and ``rows``, as bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(data: bytes, sheet: int = 0) -> list[tuple[Any, ...]]:
    """Every row of a workbook's sheet (by position) as a tuple of values."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [tuple(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
