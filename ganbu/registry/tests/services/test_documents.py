"""``document_issue``: appointment documents create and end tenures, rank history and derived fields."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
from ganbu.registry.models import AppointmentDocument, RankRecord, Tenure
from ganbu.registry.services import ItemInput, document_issue
from ganbu.registry.tests.factories import CadreFactory, PostFactory

from .conftest import written_state

APPOINT, REMOVE, RANK = DocumentItemKind.APPOINT, DocumentItemKind.REMOVE, DocumentItemKind.RANK
D = dt.date


@pytest.fixture
def setting(tree):
    """A forestry-bureau cadre and three posts: finance deputy head, station head, forestry staff."""
    cadre = CadreFactory(unit=tree.forestry, name="李明")
    deputy = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    station_head = PostFactory(
        unit=tree.station, title="站长", kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD
    )
    staff = PostFactory(
        unit=tree.forestry, title="科员", kind=PostKind.STAFF, rank=Rank.STAFF, is_leadership=False
    )
    return cadre, deputy, station_head, staff


ISSUED_ON = D(2024, 5, 1)


def issue(actor, number: str, *items: ItemInput, issued_on: dt.date = ISSUED_ON) -> AppointmentDocument:
    """Issue a document with the given items."""
    return document_issue(
        actor=actor,
        number=number,
        title="关于干部任免的通知",
        issued_on=issued_on,
        issuing_body="中共示例县委",
        items=list(items),
    )


def test_appointment_creates_a_tenure_and_derives_the_cadre_fields(officer, tree, setting) -> None:
    cadre, deputy, _, _ = setting
    before = AuditEvent.objects.count()
    doc = issue(
        officer,
        "示委〔2024〕1号",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
    )

    tenure = Tenure.objects.get(cadre=cadre)
    assert (tenure.post, tenure.start_date, tenure.end_date) == (deputy, D(2024, 5, 10), None)
    assert tenure.start_item.document == doc
    cadre.refresh_from_db()
    assert cadre.is_leadership is True
    assert cadre.current_post_text == "县财政局副局长"
    assert cadre.unit == tree.finance  # derived from the post held
    assert cadre.rank == Rank.STAFF  # rank comes only from rank items

    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.event_type for e in events] == ["document.issued", "document.item_applied"]
    event, item_event = events
    assert (event.event_type, event.actor, event.target_id) == ("document.issued", officer, str(doc.pk))
    assert event.after["number"] == "示委〔2024〕1号"
    assert event.after["issued_on"] == "2024-05-01"
    assert event.after["items"] == ["任命李明 县财政局副局长"]
    # The per-item event makes the document show up in the cadre's and the unit's history.
    assert (item_event.cadre_id, item_event.unit_id) == (cadre.pk, tree.finance.pk)
    assert item_event.after["effective_on"] == "2024-05-10"
    assert audit_verify().ok


def test_leadership_post_comes_first_in_the_current_post_text(officer, tree, setting) -> None:
    cadre, deputy, _, staff = setting
    issue(
        officer,
        "示委〔2024〕2号",
        ItemInput(kind=APPOINT, cadre=cadre, post=staff, effective_on=D(2020, 1, 1)),
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
    )
    cadre.refresh_from_db()
    assert cadre.current_post_text == "县财政局副局长、县林业局科员"
    assert cadre.unit == tree.finance


def test_removal_ends_the_tenure_and_updates_derived_fields(officer, setting) -> None:
    cadre, deputy, _, staff = setting
    issue(
        officer,
        "示委〔2024〕3号",
        ItemInput(kind=APPOINT, cadre=cadre, post=staff, effective_on=D(2019, 1, 1)),
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2020, 3, 1)),
    )
    doc = issue(
        officer,
        "示委〔2024〕4号",
        ItemInput(kind=REMOVE, cadre=cadre, post=deputy, effective_on=D(2024, 3, 1)),
    )

    tenure = Tenure.objects.get(cadre=cadre, post=deputy)
    assert tenure.end_date == D(2024, 3, 1)
    assert tenure.end_item is not None and tenure.end_item.document == doc
    cadre.refresh_from_db()
    assert cadre.is_leadership is False
    assert cadre.current_post_text == "县林业局科员"


def test_remove_and_appoint_in_one_document_apply_in_order(officer, tree, setting) -> None:
    cadre, deputy, station_head, _ = setting
    issue(
        officer,
        "示委〔2024〕5号",
        ItemInput(kind=APPOINT, cadre=cadre, post=station_head, effective_on=D(2018, 1, 1)),
    )
    issue(
        officer,
        "示委〔2024〕6号",
        ItemInput(kind=REMOVE, cadre=cadre, post=station_head, effective_on=D(2024, 5, 10)),
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
    )
    assert list(
        Tenure.objects.filter(cadre=cadre).order_by("start_date").values_list("post", "end_date")
    ) == [(station_head.pk, D(2024, 5, 10)), (deputy.pk, None)]
    cadre.refresh_from_db()
    assert cadre.current_post_text == "县财政局副局长"
    assert cadre.unit == tree.finance


def test_rank_items_close_and_open_rank_history(officer, setting) -> None:
    cadre = setting[0]
    issue(
        officer,
        "示委〔2023〕1号",
        ItemInput(kind=RANK, cadre=cadre, rank=Rank.DEPUTY_SECTION, effective_on=D(2023, 1, 1)),
    )
    cadre.refresh_from_db()
    assert cadre.rank == Rank.DEPUTY_SECTION
    issue(
        officer,
        "示委〔2024〕7号",
        ItemInput(kind=RANK, cadre=cadre, rank=Rank.SECTION, effective_on=D(2024, 1, 1)),
    )

    records = list(
        RankRecord.objects.filter(cadre=cadre)
        .order_by("start_date")
        .values_list("rank", "start_date", "end_date")
    )
    assert records == [
        (Rank.DEPUTY_SECTION, D(2023, 1, 1), D(2024, 1, 1)),
        (Rank.SECTION, D(2024, 1, 1), None),
    ]
    cadre.refresh_from_db()
    assert cadre.rank == Rank.SECTION


def test_reappointment_after_a_removal_is_allowed(officer, setting) -> None:
    cadre, deputy, _, _ = setting
    issue(
        officer,
        "示委〔2024〕8号",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2020, 1, 1)),
    )
    issue(
        officer,
        "示委〔2024〕9号",
        ItemInput(kind=REMOVE, cadre=cadre, post=deputy, effective_on=D(2021, 1, 1)),
    )
    issue(
        officer,
        "示委〔2024〕10号",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2021, 1, 1)),
    )
    assert Tenure.objects.filter(cadre=cadre, post=deputy).count() == 2


# ---------------------------------------------------------------- failing items write nothing


@pytest.fixture
def history(officer, setting):
    """The cadre already holds the station-head post since 2018, with a rank record."""
    cadre, _, station_head, _ = setting
    issue(
        officer,
        "示委〔2018〕1号",
        ItemInput(kind=APPOINT, cadre=cadre, post=station_head, effective_on=D(2018, 1, 1)),
        ItemInput(kind=RANK, cadre=cadre, rank=Rank.MIDDLE_HEAD, effective_on=D(2018, 1, 1)),
    )
    return setting


def assert_refused(actor, message: str, *items: ItemInput) -> None:
    """Issuing must raise ``ServiceError`` naming ``message`` and leave every table as it was."""
    state = written_state()
    with pytest.raises(ServiceError) as exc:
        issue(actor, "示委〔2024〕99号", *items)
    assert message in " ".join(exc.value.messages)
    assert written_state() == state
    assert not AppointmentDocument.objects.filter(number="示委〔2024〕99号").exists()
    assert audit_verify().ok


def test_removal_from_a_post_not_held_is_refused_and_writes_nothing(officer, history) -> None:
    cadre, deputy, _, _ = history
    assert_refused(
        officer,
        "第 2 项：李明 在 2024-05-10 未担任「县财政局副局长」，无法免去。",
        ItemInput(kind=RANK, cadre=cadre, rank=Rank.SECTION, effective_on=D(2024, 5, 10)),
        ItemInput(kind=REMOVE, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
    )


def test_removal_before_the_appointment_date_is_refused(officer, history) -> None:
    cadre, _, station_head, _ = history
    assert_refused(
        officer,
        "未担任",
        ItemInput(kind=REMOVE, cadre=cadre, post=station_head, effective_on=D(2017, 12, 31)),
    )


def test_overlapping_reappointment_is_refused_and_writes_nothing(officer, history) -> None:
    cadre, deputy, station_head, _ = history
    assert_refused(
        officer,
        "第 2 项：李明 在 2024-05-10 已担任「第一林业站站长」，不能重复任命。",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
        ItemInput(kind=APPOINT, cadre=cadre, post=station_head, effective_on=D(2024, 5, 10)),
    )


def test_appointing_twice_in_one_document_is_refused(officer, setting) -> None:
    cadre, deputy, _, _ = setting
    assert_refused(
        officer,
        "不能重复任命",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 6, 10)),
    )


def test_out_of_scope_cadre_is_refused_and_writes_nothing(unit_officer, tree, history) -> None:
    cadre, _, _, staff = history
    outsider = CadreFactory(unit=tree.finance, name="钱财")
    assert_refused(
        unit_officer,
        "第 2 项：该记录不在您的管理范围内。",
        ItemInput(kind=APPOINT, cadre=cadre, post=staff, effective_on=D(2024, 5, 10)),
        ItemInput(kind=APPOINT, cadre=outsider, post=staff, effective_on=D(2024, 5, 10)),
    )


def test_out_of_scope_post_is_refused(unit_officer, history) -> None:
    cadre, deputy, _, _ = history
    assert_refused(
        unit_officer,
        "该记录不在您的管理范围内",
        ItemInput(kind=APPOINT, cadre=cadre, post=deputy, effective_on=D(2024, 5, 10)),
    )


def test_unit_officer_may_issue_within_the_subtree(unit_officer, history) -> None:
    cadre, _, _, staff = history
    issue(
        unit_officer,
        "林发〔2024〕1号",
        ItemInput(kind=APPOINT, cadre=cadre, post=staff, effective_on=D(2024, 5, 10)),
    )
    assert Tenure.objects.filter(cadre=cadre, post=staff, end_date__isnull=True).exists()


@pytest.mark.parametrize(
    ("item_kwargs", "message"),
    [
        ({"kind": APPOINT}, "第 1 项：任命或免去须选择职位。"),
        ({"kind": RANK}, "第 1 项：确定职级须选择职级。"),
    ],
)
def test_incomplete_items_are_refused(officer, history, item_kwargs, message) -> None:
    cadre = history[0]
    assert_refused(officer, message, ItemInput(cadre=cadre, effective_on=D(2024, 5, 10), **item_kwargs))


def test_empty_document_and_taken_number_are_refused(officer, history) -> None:
    with pytest.raises(ServiceError, match="至少要有一项"):
        issue(officer, "示委〔2024〕11号")
    cadre = history[0]
    state = written_state()
    with pytest.raises(ServiceError) as exc:
        issue(
            officer,
            " 示委〔2018〕1号 ",
            ItemInput(kind=RANK, cadre=cadre, rank=Rank.SECTION, effective_on=D(2024, 1, 1)),
        )
    assert exc.value.message_dict == {"number": ["文号「示委〔2018〕1号」已经登记过。"]}
    assert written_state() == state


@pytest.mark.parametrize(
    "role", ["org_leader", "supervisor", "committee_member", "cadre", "auditor", "admin"]
)
def test_roles_without_document_issue_are_refused(make_user, history, role) -> None:
    cadre = history[0]
    assert_refused(
        make_user(role),
        "您的角色不能修改干部信息",
        ItemInput(kind=RANK, cadre=cadre, rank=Rank.SECTION, effective_on=D(2024, 1, 1)),
    )
