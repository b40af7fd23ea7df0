"""The demo's competitive selection campaigns, as ``make run`` loads them, seen through the services.

Three campaigns (``ganbu.demo.campaign_workflows``): a finished 公开选拔, a 竞争上岗 being scored and a
公开选拔 open for registration. The figures are compared with counts made independently from the
rows; the judges' and the applicant's pages are fetched as their demo accounts see them. The demo
is loaded once for the module (the ``loaded`` fixture of this package's conftest).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.campaigns import portal_selectors, selectors
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from ganbu.campaigns.models import Applicant, Application, Campaign, PanelSheet
from ganbu.demo.accounts import DEMO_PASSWORD, JUDGE_USERNAMES
from ganbu.demo.generator import REFERENCE_DATE
from ganbu.registry.models import Cadre, ReserveMembership, Unit
from ganbu.rules import campaign as rules
from ganbu.rules.dates import age_on
from ganbu.rules.idcard import parse_id_number

pytestmark = pytest.mark.django_db


def _finished() -> Campaign:
    return Campaign.objects.get(status=CampaignStatus.CLOSED)


def _competition() -> Campaign:
    return Campaign.objects.get(kind=CampaignKind.COMPETITION)


def _open() -> Campaign:
    return Campaign.objects.get(status=CampaignStatus.REGISTRATION)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD), username
    return client


# ---------------------------------------------------------------- the finished open selection


def test_three_campaigns_at_three_moments(loaded):
    assert Campaign.objects.count() == 3
    assert Counter(Campaign.objects.values_list("kind", "status")) == {
        (CampaignKind.OPEN_SELECTION, CampaignStatus.CLOSED): 1,
        (CampaignKind.COMPETITION, CampaignStatus.SCORING): 1,
        (CampaignKind.OPEN_SELECTION, CampaignStatus.REGISTRATION): 1,
    }
    past = min(timezone.localdate(), REFERENCE_DATE)
    finished = _finished()
    assert past - dt.timedelta(days=365) < finished.registration_start < finished.registration_end < past
    today = timezone.localdate()
    assert _competition().registration_end < today
    assert _open().registration_start <= today <= _open().registration_end


def test_finished_statistics_equal_counts_from_the_applications(loaded):
    campaign = _finished()
    apps = list(campaign.applications.select_related("applicant"))
    stats = selectors.campaign_statistics(campaign, campaign.cutoff)
    qualified = [a for a in apps if a.status == ApplicationStatus.QUALIFIED]
    appointees = [a for a in apps if a.outcome == Outcome.APPOINTED]
    places = sum(campaign.posts.values_list("places", flat=True))
    assert 25 <= stats.applicants == len(apps) <= 40
    assert stats.eligible == len(qualified) == len(apps) - 1  # one refusal
    assert stats.posts == places == campaign.posts.count() == 2
    assert stats.appointed == len(appointees) == places
    assert stats.ratio == rules.competition_ratio(len(apps), places)
    ages = sorted(age_on(a.applicant.birth_date, campaign.cutoff) for a in appointees)
    assert stats.ages is not None and (stats.ages.oldest, stats.ages.youngest) == (ages[-1], ages[0])
    assert stats.women == sum(1 for a in appointees if a.applicant.gender == "F")
    assert stats.men == sum(1 for a in appointees if a.applicant.gender == "M")
    assert stats.party == sum(
        1 for a in appointees if a.applicant.political_status in ("cpc", "cpc_probationary")
    )
    assert stats.ordinary_promoted == sum(1 for a in appointees if a.applicant.rank == "staff")
    assert stats.not_reselected == 0  # the posts are new one-seat deputy posts: nobody held them
    per_post = Counter(a.first_choice_id for a in apps)
    assert {int(p.post_key): p.applicants for p in stats.per_post} == dict(per_post)


def test_finished_applications_were_entered_registered_reviewed_and_scored(loaded):
    campaign = _finished()
    apps = list(campaign.applications.select_related("applicant", "reviewed_by", "exception_approver"))
    outsiders = [a for a in apps if a.applicant.cadre_id is None]
    assert 2 <= len(outsiders) <= 3 and all(a.applicant.user_id is None for a in outsiders)
    assert all(a.applicant.cadre_id is not None for a in apps if a not in outsiders)
    rejected = [a for a in apps if a.status == ApplicationStatus.REJECTED]
    assert len(rejected) == 1 and rejected[0].review_note.startswith("不符合报名条件")
    assert rejected[0].findings and rejected[0].reviewed_by.username == "zzb"
    exceptions = [a for a in apps if a.exception_approver is not None]
    assert len(exceptions) == 1 and exceptions[0].exception_approver.username == "zzbld"
    assert {f["rule"] for f in exceptions[0].findings if f["severity"] != "general"} == {"CAMPAIGN-AGE-MAX"}
    assert exceptions[0].status == ApplicationStatus.QUALIFIED and exceptions[0].review_note
    # 笔试 for everyone qualified, one absent; 面试 for those the 1:3 cut let through.
    written = [s for a in apps for s in a.scores.all() if s.stage == "written"]
    assert len(written) == len(apps) - 1 and sum(1 for s in written if s.absent) == 1
    interviewed = [a for a in apps if a.scores.filter(stage="interview").exists()]
    assert 2 * 3 <= len(interviewed) < len(written)
    panel = campaign.panels.get()
    assert panel.locked and set(panel.judges.values_list("username", flat=True)) == set(JUDGE_USERNAMES)
    assert panel.sheets.count() == 3 * panel.applications.count() == 3 * len(interviewed)


def test_appointees_fill_the_posts_and_the_result_is_published(loaded):
    campaign = _finished()
    appointed = list(campaign.applications.filter(outcome=Outcome.APPOINTED).select_related("applicant"))
    assert len(appointed) == campaign.posts.count()
    assert {a.assigned_post_id for a in appointed} == set(campaign.posts.values_list("id", flat=True))
    assert all(a.stage_reached == "inspection" for a in appointed)
    ranked = campaign.applications.filter(place__isnull=False)
    assert (
        not campaign.applications.exclude(pk__in=[a.pk for a in appointed])
        .filter(outcome=Outcome.APPOINTED)
        .exists()
    )
    assert ranked.count() >= 6 and all(a.place for a in appointed)
    result = portal_selectors.published_result(campaign_id=campaign.pk)
    assert sorted(x.name for x in result.appointees) == sorted(a.applicant.name for a in appointed)
    assert campaign in selectors.published_campaigns()


def test_reserve_memberships_have_the_campaign_as_source(loaded):
    campaign = _finished()
    found = selectors.reserve_candidates(campaign)
    assert found is not None
    pool, apps = found
    assert pool.entries
    named = {apps[e.key].applicant.cadre_id for e in pool.entries} - {None}
    members = ReserveMembership.objects.filter(source__startswith=campaign.title)
    assert named and set(members.values_list("cadre_id", flat=True)) == named
    assert all(m.level == campaign.reserve_level and m.end_date is None for m in members)
    assert all(m.start_date > campaign.registration_end for m in members)
    assert Cadre.objects.filter(pk__in=named, is_reserve=True).count() == len(named)
    # Only the top places, and never an appointee.
    places = dict(campaign.applications.values_list("applicant__cadre_id", "place"))
    assert all(places[c] <= campaign.reserve_top_n for c in named)
    assert not campaign.applications.filter(applicant__cadre_id__in=named, outcome=Outcome.APPOINTED).exists()


# ---------------------------------------------------------------- the competition being scored


def test_competition_is_internal_to_the_forestry_bureau(loaded):
    campaign = _competition()
    bureau = Unit.objects.get(name="县林业局")
    assert list(campaign.scope_units.all()) == [bureau] and campaign.unit == bureau
    apps = list(campaign.applications.select_related("applicant__unit"))
    assert len(apps) >= 2 * campaign.posts.count() >= 6
    assert all(a.applicant.unit.path.startswith(bureau.path) for a in apps)
    assert all(a.status == ApplicationStatus.QUALIFIED and a.stage_reached == "interview" for a in apps)
    assert all(a.scores.filter(stage="written", absent=False).exists() for a in apps)
    assert campaign not in selectors.open_campaigns(timezone.localdate())


def test_kaoguan1_still_has_sheets_to_fill(loaded):
    campaign = _competition()
    panel = campaign.panels.get()
    assert not panel.locked
    counts = {}
    for username in JUDGE_USERNAMES:
        judge = User.objects.get(username=username)
        summary = next(p for p in portal_selectors.judge_panels(judge) if p.panel.pk == panel.pk)
        detail = portal_selectors.judge_panel(user=judge, panel_id=panel.pk)
        assert summary.scored == detail.scored == PanelSheet.objects.filter(panel=panel, judge=judge).count()
        counts[username] = (summary.scored, summary.candidates)
    candidates = panel.applications.count()
    assert counts["kaoguan1"][0] < counts["kaoguan3"][0] < counts["kaoguan2"][0] == candidates
    assert all(total == candidates for _, total in counts.values())
    kaoguan1 = User.objects.get(username="kaoguan1")
    unscored = [
        r for r in portal_selectors.judge_panel(user=kaoguan1, panel_id=panel.pk).rows if r.own is None
    ]
    assert len(unscored) == candidates - counts["kaoguan1"][0] > 0


def test_kaoguan1_sees_the_work_to_do_after_logging_in(loaded):
    client = _client("kaoguan1")
    landing = client.get("/", follow=True)
    assert landing.status_code == 200 and landing.redirect_chain[-1][0] == reverse("web:judging-panels")
    page = client.get(reverse("web:judging-panels"))
    text = page.content.decode()
    panel = _competition().panels.get()
    scored = PanelSheet.objects.filter(panel=panel, judge__username="kaoguan1").count()
    assert page.status_code == 200 and "面试评分" in text
    assert _competition().title in text and f"已评 {scored} / {panel.applications.count()}" in text
    assert _finished().title in text and "已锁定" in text
    detail = client.get(reverse("web:judging-panel", args=[panel.pk]))
    assert detail.status_code == 200 and panel.name in detail.content.decode()


# ---------------------------------------------------------------- the selection open for registration


def test_open_selection_is_listed_publicly_with_its_form(loaded):
    campaign = _open()
    today = timezone.localdate()
    assert list(selectors.open_campaigns(today)) == [campaign]
    assert portal_selectors.public_campaign(campaign_id=campaign.pk, on=today) == campaign
    client = Client()
    listing = client.get(reverse("web:campaign-public-list"))
    assert listing.status_code == 200 and campaign.title in listing.content.decode()
    detail = client.get(reverse("web:campaign-public-detail", args=[campaign.pk]))
    assert detail.status_code == 200 and "报名条件" in detail.content.decode()
    form = client.get(reverse("web:campaign-public-register", args=[campaign.pk]))
    assert form.status_code == 200 and "身份证号" in form.content.decode()


def test_baoming_sees_exactly_their_own_application(loaded):
    baoming = User.objects.get(username="baoming")
    own = portal_selectors.portal_applications(baoming)
    assert len(own) == 1
    application = own[0].application
    assert application.campaign == _open() and application.applicant.user == baoming
    assert application.status == ApplicationStatus.SUBMITTED and application.applicant.cadre_id is None
    assert own[0].can_withdraw and not own[0].show_rank and not own[0].show_outcome
    assert list(Application.objects.filter(applicant__user=baoming)) == [application]
    page = _client("baoming").get("/", follow=True)
    text = page.content.decode()
    assert page.status_code == 200 and page.redirect_chain[-1][0] == reverse("web:my-applications")
    assert "我的报名" in text and application.campaign.title in text and application.ticket in text
    assert "等待审查" in text


def test_the_self_service_cadre_is_offered_the_open_selection(loaded):
    ganbu = User.objects.get(username="ganbu")
    assert not Application.objects.filter(applicant__cadre_id=ganbu.cadre_id).exists()
    offered = selectors.nomination_campaigns(ganbu, timezone.localdate())
    assert offered == [_open()]  # the 竞争上岗 is past its registration
    text = _client("ganbu").get(reverse("web:my-applications")).content.decode()
    assert "可以报名的选拔（个人自荐）" in text and f'id="nomination-{_open().pk}"' in text


def test_open_selection_has_staff_entries_and_public_registrations(loaded):
    campaign = _open()
    apps = list(campaign.applications.select_related("applicant"))
    assert all(a.status == ApplicationStatus.SUBMITTED for a in apps)
    public = [a for a in apps if a.applicant.cadre_id is None]
    assert len(public) == 2 and sum(1 for a in public if a.applicant.user_id) == 1
    assert len(apps) - len(public) >= 3


# ---------------------------------------------------------------- across the campaigns


def test_every_applicant_has_a_valid_id_number_and_nobody_applies_twice_at_once(loaded):
    for applicant in Applicant.objects.all():
        parsed = parse_id_number(applicant.id_number)
        assert (parsed.value, parsed.birth_date, parsed.gender) == (
            applicant.id_number,
            applicant.birth_date,
            applicant.gender,
        )
        if applicant.cadre_id is not None:
            assert applicant.id_number == Cadre.objects.get(pk=applicant.cadre_id).id_number
    # Each cadre applies to one of the demo's campaigns only.
    per_applicant = Counter(Application.objects.values_list("applicant_id", flat=True))
    assert set(per_applicant.values()) == {1}


def test_staff_pages_of_the_demo_campaigns_render(loaded):
    client = _client("zzb")
    listing = client.get(reverse("web:campaign-list"))
    assert listing.status_code == 200
    for campaign in Campaign.objects.all():
        assert campaign.title in listing.content.decode()
        for name in ("web:campaign-detail", "web:campaign-applications", "web:campaign-panels"):
            response = client.get(reverse(name, args=[campaign.pk]))
            assert response.status_code == 200, (name, campaign.title)
    finished = _finished()
    for name in ("web:campaign-ranking", "web:campaign-statistics"):
        assert client.get(reverse(name, args=[finished.pk])).status_code == 200, name
    # The forestry bureau's personnel officer sees the bureau's own competition, not the county's.
    rsj = [c.title for c in selectors.campaign_list(user=User.objects.get(username="rsj"))]
    assert rsj == [_competition().title]
