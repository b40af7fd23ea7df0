"""The download views: one cadre's file, a roster's .zip, scope, sensitive parts and the count cap."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from ganbu.interop.lrmx import read_lrm, read_lrmx
from ganbu.interop.services import lrmx_import_batch
from ganbu.interop.tests.test_services import ID_ZHANG, lrmx
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def zhang(officer, tree):
    [outcome] = lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    return Cadre.objects.get(pk=outcome.cadre_id)


def _names(response) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.namelist()


@pytest.mark.django_db
def test_one_cadre_as_lrmx_and_as_lrm_with_its_photo(client, officer, zhang):
    _login(client, officer)
    response = client.get(reverse("web:cadre-lrmx", args=[zhang.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    record = read_lrmx(response.content).record
    assert record.id_number == ID_ZHANG and record.filled_by == "王科员"
    response = client.get(reverse("web:cadre-lrmx", args=[zhang.pk]) + "?format=lrm")
    assert _names(response) == ["张三.lrm", "张三.pic"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert read_lrm(archive.read("张三.lrm"), archive.read("张三.pic")).record.name == "张三"


@pytest.mark.django_db
def test_a_reader_without_the_sensitive_capabilities_gets_no_id_number_or_family(client, make_user, zhang):
    _login(client, make_user("committee_member"))
    record = read_lrmx(client.get(reverse("web:cadre-lrmx", args=[zhang.pk])).content).record
    assert record.id_number == "" and record.family == ()


@pytest.mark.django_db
def test_out_of_scope_is_404(client, make_user, tree, zhang):
    _login(client, make_user("unit_officer", scope_unit=tree.town))
    assert client.get(reverse("web:cadre-lrmx", args=[zhang.pk])).status_code == 404


@pytest.mark.django_db
def test_batch_of_checked_cadres_and_of_the_filtered_roster(client, officer, tree, zhang):
    CadreFactory(unit=tree.finance, name="张三", id_number="110105197204150022")
    CadreFactory(unit=tree.town, name="李四")
    _login(client, officer)
    url = reverse("web:lrmx-export-batch")
    both = Cadre.objects.filter(name="张三").order_by("pk")
    response = client.get(url, {"cadre": [c.pk for c in both]})
    assert response.status_code == 200
    assert sorted(_names(response)) == ["张三0014.lrmx", "张三0022.lrmx"]  # same name: the ID's last 4
    response = client.get(url, {"unit": tree.town.pk})
    assert _names(response) == ["李四.lrmx"]


@pytest.mark.django_db
def test_batch_over_the_cap_says_so_in_chinese(client, officer, tree, zhang, monkeypatch):
    # By name: the interop app's tests may not import the web layer (import-linter).
    monkeypatch.setattr("ganbu.web.views.lrmx_export.BATCH_LIMIT", 0)
    _login(client, officer)
    response = client.get(reverse("web:lrmx-export-batch"), follow=True)
    assert "一次最多导出 0 人" in response.content.decode()


@pytest.mark.django_db
def test_a_text_lrm_cannot_hold_is_a_chinese_message_not_a_500(client, officer, tree):
    cadre = CadreFactory(unit=tree.finance, name="王䶮")  # 䶮 is outside GBK
    _login(client, officer)
    response = client.get(reverse("web:cadre-lrmx", args=[cadre.pk]) + "?format=lrm", follow=True)
    assert response.status_code == 200
    assert "无法导出为 .lrm" in response.content.decode()
    batch = client.get(reverse("web:lrmx-export-batch"), {"cadre": [cadre.pk], "format": "lrm"})
    assert _names(batch) == ["未导出说明.txt"]
