"""Secrecy by construction: the schema has no path from a voter to a sheet, and logs carry no content."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

from ganbu.accounts.models import User
from ganbu.core.models import AuditEvent
from ganbu.voting import services
from ganbu.voting.models import Credential, Participation, Recusal, Sheet, Voter

CONTENT_TABLES = (Sheet,)
WHO_TABLES = (Voter, Credential, Participation, Recusal)


def test_content_table_has_no_link_to_who_voted_no_clock_and_no_sequence() -> None:
    forbidden_targets = {User, Voter, Credential, Participation}
    for model in CONTENT_TABLES:
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            assert target not in forbidden_targets, f"{model.__name__}.{field.name} → {target}"
            assert not isinstance(field, models.DateField | models.TimeField | models.DurationField), (
                f"{model.__name__}.{field.name} is a clock"
            )
            assert not isinstance(field, AutoFieldMixin), f"{model.__name__}.{field.name}: a sequence"
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField)
        assert pk.default is uuid.uuid4
        assert list(model._meta.ordering) == ["id"]
    # What a sheet holds, exhaustively: a new field must be thought through before this passes.
    assert sorted(f.name for f in Sheet._meta.concrete_fields) == [
        "ballot",
        "category",
        "content",
        "id",
        "item",
        "receipt",
    ]


def test_no_table_anywhere_points_to_a_content_table() -> None:
    """Not the roster, credentials, participation or recusals, nor any model of any other app."""
    from django.apps import apps

    checked = 0
    for model in apps.get_models(include_auto_created=True):
        if model in CONTENT_TABLES:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created:
                checked += 1
                target = field.related_model
                assert target not in CONTENT_TABLES, f"{model.__name__}.{field.name} → {target}"
    assert checked > 30  # the scan really walked the schema
    for model in WHO_TABLES:
        assert model in apps.get_models()
    # Credentials keep only a hash and a used flag: no code, no time of use.
    assert sorted(f.name for f in Credential._meta.concrete_fields) == [
        "ballot",
        "category",
        "code_hash",
        "id",
        "used",
    ]
    assert isinstance(Participation._meta.pk, models.UUIDField)


def test_logs_and_audit_carry_no_code_receipt_or_content(officer, make_evaluation, caplog) -> None:
    ballot, item = make_evaluation()
    caplog.set_level(logging.DEBUG)
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=3)
    services.ballot_open(actor=officer, ballot=ballot)
    receipts = [
        services.ballot_cast_with_credential(
            code=c, ballot=ballot, content={item.pk: {"grade": "incompetent"}}
        )
        for c in codes
    ]
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot)
    services.ballot_publish(actor=officer, ballot=ballot)

    audit = repr(list(AuditEvent.objects.values_list("before", "after", "reason", "target_repr")))
    logs = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    for haystack in (audit, logs):
        for secret in [*codes, *(services.normalize_code(c) for c in codes), *receipts]:
            assert secret not in haystack
        assert "incompetent" not in haystack
    assert Sheet.objects.filter(ballot=ballot, receipt__in=receipts).count() == 3


def test_close_rewrites_sheets_under_fresh_keys_keeping_every_content(officer, make_committee) -> None:
    ballot, [item], voters = make_committee(members=5, attended=5)
    services.ballot_open(actor=officer, ballot=ballot)
    for voter, choice in zip(voters, ["agree", "agree", "disagree", "defer", "agree"], strict=True):
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
    before = dict(Sheet.objects.filter(ballot=ballot).values_list("id", "receipt"))
    services.ballot_close(actor=officer, ballot=ballot)
    after = dict(Sheet.objects.filter(ballot=ballot).values_list("id", "receipt"))
    assert not set(before) & set(after)
    assert sorted(before.values()) == sorted(after.values())
    contents = sorted(
        c["choice"] for c in Sheet.objects.filter(ballot=ballot).values_list("content", flat=True)
    )
    assert contents == ["agree", "agree", "agree", "defer", "disagree"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is a PostgreSQL system column")
def test_after_close_no_sheet_shares_a_writing_transaction_with_who_voted(officer, make_committee) -> None:
    ballot, [item], voters = make_committee(members=3, attended=3)
    services.ballot_open(actor=officer, ballot=ballot)
    for voter in voters:
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")

    def xmins(table: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])
            return {row[0] for row in cursor.fetchall()}

    # While open, a cast's sheet and participation are written by one transaction (the
    # participation in a savepoint); not asserted here: other databases on the server share the
    # transaction counter, so adjacent ids are not guaranteed.
    assert len(xmins("voting_sheet")) == 3
    services.ballot_close(actor=officer, ballot=ballot)
    sheet_xmins = xmins("voting_sheet")
    assert len(sheet_xmins) == 1
    assert not sheet_xmins & xmins("voting_participation")
