"""A small open selection for the campaign, public, portal and judging tests, set up through the services.

Two 副科级 posts in two county organs; registration open today; conditions 40 周岁以下, 大专以上,
two years of service; stages 笔试 50% then 面试 50% (no cut lists, so everyone goes on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.campaigns import portal, services
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.models import Application, Campaign, CampaignPost, InterviewPanel
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Quota
from ganbu.registry.tests.factories import PostFactory, UnitFactory
from ganbu.rules.idcard import check_char

PASSWORD = "Kaoshi-2024-good"
STAGES = {
    "version": 1,
    "kind": "open_selection",
    "stages": [
        {"key": "written", "label": "笔试", "kind": "written_exam", "weight": "1/2", "scored": True},
        {"key": "interview", "label": "面试", "kind": "interview", "weight": "1/2", "scored": True},
    ],
    "citation": "本次公告",
}
ELIGIBILITY = {"max_age": 40, "min_education": "JUNIOR_COLLEGE", "min_service_years": 2}
CRITERIA = [
    {"key": "analysis", "label": "综合分析", "maximum": 60},
    {"key": "fit", "label": "岗位匹配", "maximum": 40},
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 32


def today() -> dt.date:
    """Today where the county is (what the views use)."""
    return timezone.localdate()


def id_number(birth: dt.date, seq: int, *, female: bool = False) -> str:
    """A valid ID number (GB 11643-1999) for a birth date, a sequence and a gender."""
    order = (seq * 2 + (0 if female else 1)) % 1000
    first17 = f"530102{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def born(age: int) -> dt.date:
    """A birth date giving ``age`` 周岁 today."""
    t = today()
    return dt.date(t.year - age - 1, 1, 15) if (t.month, t.day) < (1, 15) else dt.date(t.year - age, 1, 15)


@dataclass
class Scene:
    """The officer, the campaign and its two posts."""

    officer: User
    campaign: Campaign
    posts: list[CampaignPost]


def open_campaign(
    tree: Any, officer: User, *, title: str = "公开选拔副科级领导干部", second: bool = True
) -> Scene:
    """A campaign of the county open for registration today, with two posts."""
    posts = []
    for n in range(2):
        unit = UnitFactory(name=f"县直单位{title[-2:]}{n}", parent=tree.root)
        Quota.objects.create(unit=unit, kind=PostKind.DEPUTY, number=2)
        posts.append(PostFactory(unit=unit, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION))
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title=title,
        unit=tree.root,
        announcement="面向全县公开选拔副科级领导干部2名。\n报名时间内可在网上报名。",
        registration_start=today() - dt.timedelta(days=3),
        registration_end=today() + dt.timedelta(days=10),
        cutoff=today(),
        eligibility=ELIGIBILITY,
        stages=STAGES,
        allow_second_choice=second,
    )
    offered = [services.campaign_post_add(actor=officer, campaign=campaign, post=p) for p in posts]
    services.campaign_open(actor=officer, campaign=campaign)
    campaign.refresh_from_db()
    return Scene(officer=officer, campaign=campaign, posts=offered)


def open_competition(
    tree: Any, officer: User, scope: list[Any], *, title: str = "林业系统竞争上岗"
) -> Campaign:
    """A 竞争上岗 open today for one 副站长 post of 县林业局, held within the ``scope`` units."""
    Quota.objects.get_or_create(unit=tree.forestry, kind=PostKind.DEPUTY, defaults={"number": 3})
    post = PostFactory(unit=tree.forestry, title="副站长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.COMPETITION,
        title=title,
        unit=tree.root,
        announcement="内部竞争上岗。",
        registration_start=today() - dt.timedelta(days=1),
        registration_end=today() + dt.timedelta(days=5),
        cutoff=today(),
        eligibility={},
        scope_units=scope,
    )
    services.campaign_post_add(actor=officer, campaign=campaign, post=post)
    services.campaign_open(actor=officer, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def facts(
    seq: int, *, name: str = "", age: int = 30, female: bool = False, **overrides: Any
) -> dict[str, Any]:
    """The form fields of a registrant's facts (eligible unless ``overrides`` say otherwise)."""
    birth = born(age)
    data: dict[str, Any] = {
        "name": name or f"报名人{seq:02d}",
        "gender": "F" if female else "M",
        "birth_date": birth.isoformat(),
        "id_number": id_number(birth, seq, female=female),
        "political_status": "cpc",
        "education": "university",
        "work_start_date": dt.date(today().year - 8, 7, 1).isoformat(),
        "rank": "",
        "rank_since": "",
        "unit_name": "外县某局",
        "post_text": "科员",
        "last_year_rating": "competent",
        "phone": "0871-1234567",
    }
    data.update(overrides)
    return data


def applicant_data(seq: int, **kwargs: Any) -> services.ApplicantData:
    """The same facts as :func:`facts`, as the services take them."""
    f = facts(seq, **kwargs)
    return services.ApplicantData(
        name=f["name"],
        gender=f["gender"],
        birth_date=dt.date.fromisoformat(f["birth_date"]),
        id_number=f["id_number"],
        political_status=f["political_status"],
        education=f["education"],
        work_start_date=dt.date.fromisoformat(f["work_start_date"]),
        unit_name=f["unit_name"],
        last_year_rating=f["last_year_rating"],
        phone=f["phone"],
    )


def register(
    scene: Scene, seq: int, *, post: int = 0, uploads: tuple[portal.Upload, ...] = (), **kw: Any
) -> Application:
    """Register applicant ``seq`` through the service, with their own login ``applicant<seq>``."""
    return portal.applicant_register(
        campaign=scene.campaign,
        data=applicant_data(seq, **kw),
        first_choice=scene.posts[post],
        account=portal.NewAccount(username=f"applicant{seq}", password=PASSWORD),
        uploads=uploads,
        source=f"192.0.2.{seq}",
    )


def to_scoring(scene: Scene) -> None:
    """Close registration, pass every application in the review, start the exams."""
    services.campaign_close_registration(actor=scene.officer, campaign=scene.campaign)
    for application in Application.objects.filter(campaign=scene.campaign):
        services.application_review(actor=scene.officer, application=application, passed=True)
    services.campaign_start_scoring(actor=scene.officer, campaign=scene.campaign)


def import_scores(scene: Scene, stage: str, scores: dict[Application, str]) -> None:
    """Import one stage's scores by ticket."""
    rows = [
        services.ScoreRow(line=n, who=a.ticket, score=s) for n, (a, s) in enumerate(scores.items(), start=2)
    ]
    services.stage_scores_import(
        actor=scene.officer, campaign=scene.campaign, stage=stage, rows=rows, source="成绩单"
    )


def panel(scene: Scene, judges: list[User], applications: list[Application]) -> InterviewPanel:
    """An interview panel of three or more judges, two criteria (60 + 40), dropping the highest and lowest.

    The candidates are put at the interview stage directly: these tests are about the judges' pages,
    not the written-exam cut (which the campaign tests drive through the services).
    """
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(stage_reached="interview")
    return services.panel_create(
        actor=scene.officer,
        campaign=scene.campaign,
        stage="interview",
        name="第一考官组",
        judges=judges,
        criteria=CRITERIA,
        applications=applications,
    )
