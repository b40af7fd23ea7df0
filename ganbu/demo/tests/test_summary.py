"""The demo's printed summary says what the dashboard shows, and gives voting codes to try the voter page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ganbu.accounts.models import User
from ganbu.registry.selectors import cadre_structure
from ganbu.voting.choices import BallotStatus
from ganbu.voting.models import Ballot

pytestmark = pytest.mark.django_db


def stat(html: str, name: str) -> int:
    """A head count of the dashboard's cards (``data-stat``), as a number."""
    match = re.search(rf'data-stat="{name}">.*?<div class="stat-value">([\d,]+)</div>', html, flags=re.S)
    assert match, f"no {name} card"
    return int(match.group(1).replace(",", ""))


def test_printed_head_counts_equal_the_dashboard(loaded):
    zzb = User.objects.get(username="zzb")
    client = Client()
    client.force_login(zzb)
    html = client.get("/").content.decode()
    shown = {name: stat(html, name) for name in ("serving", "leaders", "reserve")}
    structure = cadre_structure(user=zzb)
    women = dict(structure.by_gender)["女"]
    line = next(line for line in loaded.splitlines() if "在职" in line and "后备干部" in line)
    assert f"干部 {structure.total} 名" in line
    assert f"在职 {shown['serving']} 名" in line
    assert f"担任领导职务 {shown['leaders']} 名" in line
    assert f"女干部 {women} 名" in line
    assert f"后备干部 {shown['reserve']} 名" in line


def test_printed_voting_codes_open_the_ballot_in_progress(loaded):
    match = re.search(r"/vote/(\d+)/", loaded)
    assert match, "no voting page in the summary"
    ballot = Ballot.objects.get(pk=int(match.group(1)))
    assert ballot.status == BallotStatus.OPEN and ballot.title in loaded
    codes = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", loaded)
    assert len(codes) == 3
    # A voter with one of them casts a sheet on the page the summary names.
    voter = Client()
    page = voter.get(f"/vote/{ballot.pk}/")
    assert page.status_code == 200
    items = ballot.items.all()
    data = {"code": codes[0], **{f"item-{item.pk}": "excellent" for item in items}}
    response = voter.post(f"/vote/{ballot.pk}/", data)
    assert response.status_code == 200 and "回执" in response.content.decode()
    again = voter.post(f"/vote/{ballot.pk}/", data)
    assert again.status_code == 409 and "该投票码已使用" in again.content.decode()
