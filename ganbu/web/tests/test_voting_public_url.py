"""Voting slips' QR codes and the shown voting address use GANBU_PUBLIC_URL, not the officer's 127.0.0.1."""

from __future__ import annotations

import pytest
import segno
from django.urls import reverse

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting import services
from ganbu.voting.choices import BallotKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(tree, officer):
    made = services.ballot_create(actor=officer, kind=BallotKind.EVALUATION, title="测评", unit=tree.finance)
    services.ballot_item_add(actor=officer, ballot=made, cadre=CadreFactory(unit=tree.finance))
    return made


def slips(client, ballot):
    """Issue two codes on the page, as the officer browsing the server itself at 127.0.0.1:8000."""
    return client.post(
        reverse("web:ballot-credentials", args=[ballot.pk]),
        {"cred-category": "一般干部", "cred-count": 2},
        HTTP_HOST="127.0.0.1:8000",
    )


def test_slips_point_phones_at_the_public_address(client, officer, ballot, settings):
    settings.GANBU_PUBLIC_URL = "http://192.168.1.20:8000"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    client.force_login(officer)
    response = slips(client, ballot)
    html = response.content.decode()
    code = response.context["codes"][0]
    address = f"http://192.168.1.20:8000/vote/{ballot.pk}/"
    qr = segno.make(f"{address}#code={code}", error="m").svg_inline(scale=3, border=2, omitsize=True)
    assert qr in html and f"打开 {address} 输入投票码" in html
    assert "127.0.0.1" not in html
    detail = client.get(reverse("web:ballot-detail", args=[ballot.pk]), HTTP_HOST="127.0.0.1:8000")
    assert f"<code>{address}</code>" in detail.content.decode()


def test_without_the_setting_the_requests_own_address_is_used(client, officer, ballot, settings):
    settings.GANBU_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    client.force_login(officer)
    response = slips(client, ballot)
    code = response.context["codes"][0]
    address = f"http://127.0.0.1:8000/vote/{ballot.pk}/"
    qr = segno.make(f"{address}#code={code}", error="m").svg_inline(scale=3, border=2, omitsize=True)
    assert qr in response.content.decode()


def test_the_setting_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("GANBU_PUBLIC_URL", "http://ganbu.intranet:8000/ ")
    try:
        assert importlib.reload(base).GANBU_PUBLIC_URL == "http://ganbu.intranet:8000"
    finally:
        monkeypatch.delenv("GANBU_PUBLIC_URL")
        importlib.reload(base)
