"""Loading 示例县 into the database: the rows, the derived fields, the accounts and the commands.

The demo is loaded once for the module through ``manage.py demo --if-empty`` (committed, like a
real run) and the database is flushed afterwards, so every other test module starts empty again.
"""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q
from django.test import Client

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import cadres_for, units_for
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from ganbu.demo.generator import REFERENCE_DATE, generate, people_digest
from ganbu.demo.services import MSG_NOT_ALLOWED, demo_load
from ganbu.exits.models import ExitRecord
from ganbu.registry.choices import LEADERSHIP_KINDS, CadreStatus, UnitKind
from ganbu.registry.models import Cadre, DocumentItem, RankRecord, Tenure, Unit
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.registry.services import _refresh_derived
from ganbu.rules.idcard import parse_id_number

pytestmark = pytest.mark.django_db


def test_command_prints_progress_and_a_chinese_summary(loaded):
    assert "[ 1/14]" in loaded and "[14/14]" in loaded
    assert "示例县已载入" in loaded
    assert "县直单位 59 个，镇 12 个，县林业局林业站 12 个" in loaded
    assert DEMO_PASSWORD in loaded


def test_database_holds_exactly_what_the_generator_made(loaded):
    expected = generate()
    # The workflows (ganbu.demo.workflows) add cadres, documents and tenures through the services
    # after the generator's rows: the generated cadres keep the lowest ids, and the generated
    # documents are the ones without a 录入人 (the workflows' are entered by zzb).
    rows = Cadre.objects.order_by("id").values_list("name", "id_number", "birth_date", "gender")
    assert people_digest(rows[: len(expected.cadres)]) == expected.people_digest()
    entered = AuditEvent.objects.filter(event_type="cadre.created").count()
    assert Cadre.objects.count() == len(expected.cadres) + entered
    generated = Tenure.objects.filter(start_item__document__created_by__isnull=True)
    assert generated.count() == len(expected.tenures)
    assert DocumentItem.objects.filter(document__created_by__isnull=True).count() == len(expected.items)


def test_counts_of_the_seed_report(loaded):
    root = Unit.objects.get(parent=None)
    assert (root.name, root.kind) == ("示例县", UnitKind.COUNTY)
    top = Unit.objects.filter(parent=root)
    assert top.filter(kind=UnitKind.TOWN).count() == 12
    assert top.filter(kind__in=[UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION]).count() == 59
    forestry = Unit.objects.get(name="县林业局")
    stations = Unit.objects.filter(parent=forestry, name__endswith="林业站", kind=UnitKind.INTERNAL)
    assert stations.count() == 12
    heads = Tenure.objects.filter(
        post__unit__in=stations, end_date__isnull=True, post__kind__in=["middle_head", "middle_deputy"]
    )
    assert heads.count() == 24
    assert 2850 <= Cadre.objects.count() <= 3150


def test_unit_paths_follow_the_tree(loaded):
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        unit.parent = units.get(unit.parent_id)
        assert unit.path == unit.compute_path()
        assert unit.depth == unit.path.count(".") - 1
    forestry = Unit.objects.get(name="县林业局")
    subtree = Unit.objects.filter(path__startswith=forestry.path)
    assert subtree.count() == 1 + Unit.objects.filter(parent=forestry).count()


def test_every_id_number_is_valid_and_matches_birth_date_and_gender(loaded):
    rows = list(Cadre.objects.values_list("id_number", "birth_date", "gender"))
    assert all(number for number, _, _ in rows)
    for number, birth, gender in rows:
        parsed = parse_id_number(number)
        assert (parsed.value, parsed.birth_date, parsed.gender) == (number, birth, gender)


def test_every_current_tenure_was_created_by_a_document_item(loaded):
    current = Tenure.objects.filter(end_date__isnull=True)
    # Every serving cadre holds one post, except those the workflows took out of their leadership
    # post without giving them another (免职, 辞去领导职务): they wait for a new assignment.
    waiting = ExitRecord.objects.filter(kind__in=["removal", "resignation_post"]).values("cadre")
    assert current.count() == Cadre.objects.filter(status=CadreStatus.SERVING).exclude(pk__in=waiting).count()
    mismatched = current.exclude(
        start_item__kind="appoint",
        start_item__cadre=F("cadre"),
        start_item__post=F("post"),
        start_item__effective_on=F("start_date"),
        start_item__document__issued_on=F("start_date"),
    )
    assert not mismatched.exists()
    ended = Tenure.objects.filter(end_date__isnull=False)
    assert ended.count() > 1000
    assert not ended.filter(Q(end_item__isnull=True) | ~Q(end_item__kind="remove")).exists()
    assert not RankRecord.objects.filter(Q(item__isnull=True) | ~Q(item__rank=F("rank"))).exists()


def test_derived_fields_are_what_the_registry_services_would_compute(loaded):
    leaders = set(
        Tenure.objects.filter(end_date__isnull=True, post__is_leadership=True).values_list("cadre", flat=True)
    )
    assert leaders == set(Cadre.objects.filter(is_leadership=True).values_list("id", flat=True))
    assert (
        not Cadre.objects.filter(is_leadership=True)
        .exclude(tenures__end_date__isnull=True, tenures__post__kind__in=LEADERSHIP_KINDS)
        .exists()
    )
    for name, full, initials in Cadre.objects.values_list("name", "name_pinyin", "name_initials")[:500]:
        assert (full, initials) == (name_pinyin(name), name_initials(name))
    reserve = set(
        Cadre.objects.filter(
            reserve_memberships__isnull=False, reserve_memberships__end_date__isnull=True
        ).values_list("id", flat=True)
    )
    assert 120 <= len(reserve) <= 180
    assert reserve == set(Cadre.objects.filter(is_reserve=True).values_list("id", flat=True))
    # Recompute rank, leadership, post text and unit with the registry's own rule for a sample.
    ids = sorted(Cadre.objects.values_list("id", flat=True))
    for cadre in Cadre.objects.filter(id__in=random.Random(5).sample(ids, 150)):
        before = (cadre.rank, cadre.is_leadership, cadre.current_post_text, cadre.unit_id)
        _refresh_derived(cadre, REFERENCE_DATE)
        cadre.refresh_from_db()
        assert (cadre.rank, cadre.is_leadership, cadre.current_post_text, cadre.unit_id) == before


def test_related_family_members_are_cadres_of_the_same_unit(loaded):
    from ganbu.registry.models import FamilyMember

    related = FamilyMember.objects.filter(related_cadre__isnull=False).select_related(
        "cadre__unit", "related_cadre__unit"
    )
    assert related.count() >= 10
    for member in related:
        a, b = member.cadre.unit.path, member.related_cadre.unit.path
        assert a[:14] == b[:14]  # root + the same top-level unit


def test_one_demo_loaded_audit_event_and_an_intact_chain(loaded):
    event = AuditEvent.objects.get(event_type="demo.loaded")
    assert event.actor_id is None and event.actor_name == "系统"
    entered = AuditEvent.objects.filter(event_type="cadre.created").count()  # by the workflows
    assert event.after["cadres"] == Cadre.objects.count() - entered
    assert event.after["towns"] == 12 and event.after["county_units"] == 59
    assert AuditEvent.objects.filter(event_type="user.created").count() == len(DEMO_ACCOUNTS)
    assert audit_verify().ok


def test_every_demo_account_logs_in_with_the_demo_password(loaded):
    for spec in DEMO_ACCOUNTS:
        client = Client()
        assert client.login(username=spec.username, password=DEMO_PASSWORD), spec.username
        assert not client.login(username=spec.username, password="wrong-password")
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {spec.username: spec.role for spec in DEMO_ACCOUNTS}
    assert set(roles.values()) == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


def test_unit_officer_sees_only_the_forestry_bureau(loaded):
    rsj = User.objects.get(username="rsj")
    forestry = Unit.objects.get(name="县林业局")
    assert rsj.scope_unit == forestry
    visible = cadres_for(rsj)
    in_subtree = Cadre.objects.filter(unit__path__startswith=forestry.path)
    assert visible.count() == in_subtree.count() > 50
    assert visible.count() < Cadre.objects.count() / 10
    assert set(units_for(rsj).values_list("id", flat=True)) == set(
        Unit.objects.filter(path__startswith=forestry.path).values_list("id", flat=True)
    )
    zzb = User.objects.get(username="zzb")
    assert zzb.scope_unit is None and cadres_for(zzb).count() == Cadre.objects.count()


def test_self_service_account_is_a_real_cadre_of_that_unit(loaded):
    ganbu = User.objects.select_related("cadre__unit").get(username="ganbu")
    forestry = Unit.objects.get(name="县林业局")
    assert ganbu.role == Role.CADRE
    assert ganbu.cadre is not None and ganbu.cadre.unit.path.startswith(forestry.path)
    assert ganbu.display_name == ganbu.cadre.name
    assert list(cadres_for(ganbu)) == [ganbu.cadre]


def test_if_empty_is_idempotent(loaded):
    before = (Cadre.objects.count(), Unit.objects.count(), AuditEvent.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "不再载入示例数据" in out.getvalue()
    assert (
        Cadre.objects.count(),
        Unit.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
    ) == before


def test_loading_again_is_refused_in_chinese(loaded):
    with pytest.raises(CommandError, match=r"已有 \d+ 名干部"):
        call_command("demo", stdout=io.StringIO())
    with pytest.raises(ServiceError) as exc:
        demo_load(actor=None)
    assert "示例数据只能载入没有干部的数据库" in exc.value.messages[0]


def test_only_an_administrator_may_load(loaded):
    zzb = User.objects.get(username="zzb")
    with pytest.raises(ServiceError) as exc:
        demo_load(actor=zzb)
    assert exc.value.messages == [MSG_NOT_ALLOWED]


def test_accounts_command_lists_roles_and_shows_the_password_only_while_unchanged(loaded):
    out = io.StringIO()
    call_command("accounts", stdout=out)
    text = out.getvalue()
    for spec in DEMO_ACCOUNTS:
        assert spec.username in text
    assert "组织部干部科工作人员" in text and "县林业局及下属单位" in text
    assert text.count(DEMO_PASSWORD) == len(DEMO_ACCOUNTS) + 1  # each row and the warning
    user = User.objects.get(username="jiwei")
    user.set_password("another-Secret-2026")
    user.save()
    out = io.StringIO()
    call_command("accounts", stdout=out)
    jiwei_line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("jiwei"))
    assert "（已修改）" in jiwei_line and DEMO_PASSWORD not in jiwei_line


def test_nothing_in_the_demo_is_dated_after_the_reference_date(loaded):
    assert not Tenure.objects.filter(start_date__gt=REFERENCE_DATE).exists()
    assert not DocumentItem.objects.filter(effective_on__gt=REFERENCE_DATE).exists()
    assert Cadre.objects.filter(birth_date__lt=dt.date(1965, 1, 1)).count() < 100
