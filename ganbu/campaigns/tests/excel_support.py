"""Test support for the Excel import and export: a campaign at the scoring status, workbooks built here.

``scoring_campaign`` goes through the services for the campaign's own life cycle (create, post, open,
close registration, start scoring) and bulk-creates the qualified applications in between, so that a
1,000-row import can be tested without 1,000 registrations. ``workbook`` builds an .xlsx in memory
from rows of cell values, as a person would type them into Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
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


_BOMB_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/{strings}" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="成绩" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="{strings}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ),
}


def shared_strings_bomb(
    strings: int, *, declared: int | None = None, part: str = "sharedStrings.xml"
) -> bytes:
    """A small .xlsx whose shared-strings part holds ``strings`` one-letter strings (a zip bomb).

    At 10,000,000 strings it is about 400 KB and unpacks to 170 MB. ``declared`` is the count the
    part's root claims (``uniqueCount``; ``None``: the true count, ``0``: no attributes at all).
    ``part`` is the part's name under ``xl/`` (the relationship and content type follow it).
    """
    count = strings if declared is None else declared
    attrs = f' count="{count}" uniqueCount="{count}"' if count else ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _BOMB_PARTS.items():
            archive.writestr(name, text.replace("{strings}", part))
        archive.writestr(
            f"xl/{part}",
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            f"{attrs}>" + "<si><t>a</t></si>" * strings + "</sst>",
        )
    return out.getvalue()
