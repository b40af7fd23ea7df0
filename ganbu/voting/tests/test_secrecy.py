"""Secrecy by construction: the schema has no path from a voter to a sheet, and logs carry no content."""

from __future__ import annotations

import itertools
import logging
import uuid

import pytest
from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from hypothesis import given
from hypothesis import strategies as st

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.voting import sealing, services
from ganbu.voting.choices import COMMITTEE_CATEGORY, BallotKind, BallotStatus
from ganbu.voting.models import BallotResult, Credential, Participation, Recusal, SealedSheet, Sheet, Voter

CONTENT_TABLES = (Sheet, SealedSheet)
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
        "receipt",
    ]
    assert sorted(f.name for f in SealedSheet._meta.concrete_fields) == ["ballot", "id", "sealed"]


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
    shares = services.ballot_open(actor=officer, ballot=ballot)
    receipts = [
        services.ballot_cast_with_credential(
            code=c, ballot=ballot, content={item.pk: {"grade": "incompetent"}}
        )
        for c in codes
    ]
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    services.ballot_publish(actor=officer, ballot=ballot)

    audit = repr(list(AuditEvent.objects.values_list("before", "after", "reason", "target_repr")))
    logs = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    for haystack in (audit, logs):
        for secret in [*codes, *(services.normalize_code(c) for c in codes), *receipts]:
            assert secret not in haystack
        assert "incompetent" not in haystack
    assert Sheet.objects.filter(ballot=ballot, receipt__in=receipts).count() == 3


def test_while_open_only_sealed_sheets_of_one_length_exist_and_they_hold_no_choice_or_receipt(
    officer, make_committee
) -> None:
    """What a cast stores is ciphertext of a fixed length; the content and receipt are not in the database."""
    ballot, [item], voters = make_committee(members=5, attended=5)
    services.ballot_open(actor=officer, ballot=ballot)
    receipts = [
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
        for voter, choice in zip(voters, ["agree", "agree", "disagree", "defer", "agree"], strict=True)
    ]
    assert not Sheet.objects.filter(ballot=ballot).exists()
    sealed = [bytes(b) for b in SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True)]
    assert len(sealed) == 5
    assert len({len(b) for b in sealed}) == 1
    for blob in sealed:
        for secret in [*receipts, "agree", "disagree", "defer", COMMITTEE_CATEGORY]:
            assert secret.encode() not in blob
    ballot.refresh_from_db()
    assert len(ballot.public_key) == 64 and (ballot.key_holders, ballot.key_threshold) == (3, 2)


def test_a_write_in_does_not_change_the_sealed_length(officer, tree, post) -> None:
    ballot = services.ballot_create(
        actor=officer, kind=BallotKind.RECOMMENDATION, title="会议推荐", unit=tree.finance, max_choices=2
    )
    item = services.ballot_item_add(actor=officer, ballot=ballot, post=post, reference=["甲", "乙", "丙"])
    codes = services.credentials_issue(actor=officer, ballot=ballot, category="中层干部", count=3)
    services.ballot_open(actor=officer, ballot=ballot)
    for code, choices in zip(codes, [[], ["甲"], ["乙", "长" * services.MAX_WRITE_IN]], strict=True):
        services.ballot_cast_with_credential(
            code=code, ballot=ballot, content={item.pk: {"choices": choices}}
        )
    lengths = {len(b) for b in SealedSheet.objects.filter(ballot=ballot).values_list("sealed", flat=True)}
    assert len(lengths) == 1


def test_the_count_opens_the_sealed_sheets_with_the_shares_and_deletes_them(officer, make_committee) -> None:
    ballot, [item], voters = make_committee(members=5, attended=5)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    receipts = [
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
        for voter, choice in zip(voters, ["agree", "agree", "disagree", "defer", "agree"], strict=True)
    ]
    services.ballot_close(actor=officer, ballot=ballot)
    assert SealedSheet.objects.filter(ballot=ballot).count() == 5  # closing opens nothing
    # Any two of the three 监票人 suffice: the first one's slip is lost.
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=["", shares[2], shares[1].lower()])
    assert not SealedSheet.objects.filter(ballot=ballot).exists()
    rows = list(Sheet.objects.filter(ballot=ballot).values_list("content", "receipt", "category"))
    # One row per cast, its content keyed by the item it answered.
    assert sorted(c[str(item.pk)]["choice"] for c, _, _ in rows) == [
        "agree",
        "agree",
        "agree",
        "defer",
        "disagree",
    ]
    assert sorted(r for _, r, _ in rows) == sorted(receipts)
    assert {c for _, _, c in rows} == {COMMITTEE_CATEGORY}
    assert BallotResult.objects.get(ballot=ballot).data["agree"] == 3


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        (lambda s, other: [], "至少 2 名监票人"),
        (lambda s, other: [s[0]], "至少 2 名监票人"),
        (lambda s, other: [s[0], s[0]], "编号相同"),
        (lambda s, other: [s[0], other[1]], "第 2 份密钥份额校验不符"),
        (lambda s, other: [s[0], s[1][:-1] + ("X" if s[1][-1] != "X" else "Y")], "第 2 份密钥份额校验不符"),
        (lambda s, other: ["1-ABC", s[1]], "第 1 份密钥份额格式不正确"),
    ],
)
def test_the_count_refuses_missing_repeated_mistyped_or_foreign_shares_and_writes_nothing(
    officer, make_evaluation, entered, message
) -> None:
    ballot, item = make_evaluation()
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=1)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": "basic"}})
    services.ballot_close(actor=officer, ballot=ballot)
    other, _ = make_evaluation()
    other_shares = services.ballot_open(actor=officer, ballot=other)
    with pytest.raises(ServiceError, match=message):
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=entered(shares, other_shares))
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1
    assert not Sheet.objects.exists()
    assert not BallotResult.objects.exists()
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED


def test_a_sheet_slipped_into_the_database_is_not_counted(officer, make_evaluation) -> None:
    """Anyone with the public key can seal a sheet; the count checks sealed sheets against used codes."""
    ballot, item = make_evaluation()
    [code] = services.credentials_issue(actor=officer, ballot=ballot, category="一般干部", count=2)[:1]
    shares = services.ballot_open(actor=officer, ballot=ballot)
    services.ballot_cast_with_credential(code=code, ballot=ballot, content={item.pk: {"grade": "competent"}})
    ballot.refresh_from_db()
    forged = sealing.seal(
        ballot.public_key,
        {"category": "一般干部", "receipt": "X" * 16, "items": {str(item.pk): {"grade": "incompetent"}}},
        size=services._sealed_size(ballot, 1),
    )
    SealedSheet.objects.create(ballot=ballot, sealed=forged)
    services.ballot_close(actor=officer, ballot=ballot)
    with pytest.raises(ServiceError, match="密封选票 2 张，与已使用的投票码数 1 不一致"):
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    # A damaged one is refused too, rather than dropped.
    SealedSheet.objects.filter(ballot=ballot, sealed=forged).update(sealed=b"\0" * len(forged))
    Credential.objects.filter(ballot=ballot).update(used=True)
    with pytest.raises(ServiceError, match="有 1 张密封选票无法用本次投票的密钥打开"):
        services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    assert not Sheet.objects.exists()


def test_shamir_shares_any_threshold_rebuild_the_key_fewer_do_not() -> None:
    key = sealing.new_ballot_key(7, holders=5, threshold=3)
    parsed = [sealing.parse_share(7, s) for s in key.shares]
    for combo in itertools.combinations(parsed, 3):
        sealing.recover_private_key(7, key.public_key, list(combo))
    for combo in itertools.combinations(parsed, 2):
        with pytest.raises(sealing.KeyMismatch):
            sealing.recover_private_key(7, key.public_key, list(combo))
    with pytest.raises(sealing.ShareError):
        sealing.parse_share(8, key.shares[0])  # a share is bound to its ballot


@given(
    secret=st.binary(min_size=16, max_size=16),
    holders=st.integers(min_value=1, max_value=9),
    data=st.data(),
)
def test_shamir_split_and_combine_round_trip(secret: bytes, holders: int, data) -> None:
    threshold = data.draw(st.integers(min_value=1, max_value=holders))
    shares = sealing.split_secret(secret, holders=holders, threshold=threshold)
    chosen = data.draw(st.permutations(shares))[:threshold]
    assert sealing.combine_shares(chosen) == secret
    parsed = [sealing.parse_share(3, sealing.format_share(3, x, y)) for x, y in shares]
    assert parsed == shares


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is a PostgreSQL system column")
def test_after_the_count_no_sheet_shares_a_writing_transaction_with_who_voted(
    officer, make_committee
) -> None:
    ballot, [item], voters = make_committee(members=3, attended=3)
    shares = services.ballot_open(actor=officer, ballot=ballot)
    for voter in voters:
        services.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")

    def xmins(table: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])
            return {row[0] for row in cursor.fetchall()}

    # While open, a cast's sealed sheet and participation are written by one transaction (the
    # participation in a savepoint) — harmless, the sealed sheet cannot be read.
    assert len(xmins("voting_sealedsheet")) == 3
    assert not xmins("voting_sheet")
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    sheet_xmins = xmins("voting_sheet")
    assert len(sheet_xmins) == 1
    assert not sheet_xmins & xmins("voting_participation")
    assert not xmins("voting_sealedsheet")
