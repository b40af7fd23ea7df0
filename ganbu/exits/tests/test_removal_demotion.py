"""免职, 降职 and 改任非领导职务: the items each issues, and the checks at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.exits import services
from ganbu.registry.choices import CadreStatus, Rank
from ganbu.registry.models import RankRecord, Tenure

from .helpers import appoint, decision, written

pytestmark = pytest.mark.django_db

D = dt.date
ON = D(2025, 6, 1)


def current_posts(cadre):
    return set(Tenure.objects.filter(cadre=cadre, end_date__isnull=True).values_list("post", flat=True))


def test_removal_ends_every_leadership_post_and_keeps_the_others(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.head)
    appoint(officer, cadre, posts.clerk)
    record = services.removal_record(actor=officer, cadre=cadre, decision=decision("示委〔2025〕41号", ON))
    assert current_posts(cadre) == {posts.clerk.pk}
    assert [(i.kind, i.post) for i in record.document.items.all()] == [("remove", posts.head)]
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.SERVING and not cadre.is_leadership
    assert "DISC-13" in record.basis


def test_removal_of_a_cadre_without_a_leadership_post_is_refused(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.clerk)
    before = written()
    with pytest.raises(ServiceError, match="在2025年6月1日未担任领导职务，不能办理免职"):
        services.removal_record(actor=officer, cadre=cadre, decision=decision("示委〔2025〕42号", ON))
    assert written() == before


def test_a_post_taken_up_after_the_effective_date_is_not_a_current_post(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.head)
    with pytest.raises(ServiceError, match="未担任领导职务"):
        services.removal_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕43号", D(2015, 2, 28))
        )


def test_demotion_lowers_the_rank_with_a_rank_item_and_the_new_post(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.head)  # 正科级
    record = services.demotion_record(
        actor=officer,
        cadre=cadre,
        decision=decision("示委〔2025〕44号", ON),
        new_rank=Rank.DEPUTY_SECTION,
        new_post=posts.deputy,
    )
    items = [(i.kind, i.post, i.rank) for i in record.document.items.all()]
    assert items == [
        ("remove", posts.head, ""),
        ("appoint", posts.deputy, ""),
        ("rank", None, Rank.DEPUTY_SECTION),
    ]
    assert record.previous_rank == Rank.SECTION and record.new_rank == Rank.DEPUTY_SECTION
    assert RankRecord.objects.get(cadre=cadre, end_date__isnull=True).rank == Rank.DEPUTY_SECTION
    assert current_posts(cadre) == {posts.deputy.pk}
    assert "由正科级降为副科级" in record.basis


@pytest.mark.parametrize("new_rank", [Rank.DEPUTY_SECTION, Rank.SECTION])
def test_a_demotion_that_does_not_lower_the_rank_is_refused(officer, make_leader, new_rank):
    cadre = make_leader(D(1978, 1, 1))  # 副科级
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.demotion_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕45号", ON), new_rank=new_rank
        )
    [message] = exc.value.message_dict["new_rank"]
    assert message.startswith(
        f"降职须降低职级：{cadre.name} 现为副科级，拟定为{Rank(new_rank).label}，并未降低。"
    )
    assert "第五十条" in message and "EVAL-02" in message
    assert written() == before


def test_the_rank_compared_is_the_one_in_force_on_the_effective_date(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.head)  # 正科级 from 2015-03-01
    with pytest.raises(ServiceError, match="现为一般干部"):
        services.demotion_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕46号", D(2015, 2, 1)),
            new_rank=Rank.STAFF,
        )


def test_demotion_checks_the_new_post_and_needs_a_rank(officer, make_leader, posts):
    cadre = make_leader(D(1978, 1, 1), post=posts.head)
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.demotion_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕47号", ON),
            new_rank=Rank.MIDDLE_HEAD,
            new_post=posts.deputy,
        )
    assert "高于降职后的职级中层正职" in exc.value.message_dict["new_post"][0]
    with pytest.raises(ServiceError, match="降职须选择降职后的职级"):
        services.demotion_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕47号", ON), new_rank=""
        )
    with pytest.raises(ServiceError, match="职级「bogus」不正确"):
        services.demotion_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕47号", ON), new_rank="bogus"
        )
    assert written() == before


def test_reassignment_moves_a_leader_to_a_non_leadership_post(officer, make_leader, posts):
    cadre = make_leader(D(1970, 1, 1))
    record = services.reassign_non_leadership(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕48号", ON), new_post=posts.clerk
    )
    assert [(i.kind, i.post) for i in record.document.items.all()] == [
        ("remove", posts.deputy),
        ("appoint", posts.clerk),
    ]
    assert current_posts(cadre) == {posts.clerk.pk}
    cadre.refresh_from_db()
    assert not cadre.is_leadership and cadre.status == CadreStatus.SERVING


def test_reassignment_needs_a_non_leadership_post(officer, make_leader, posts):
    cadre = make_leader(D(1970, 1, 1))
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.reassign_non_leadership(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕49号", ON), new_post=posts.head
        )
    assert "「县财政局局长」是领导职务" in exc.value.message_dict["new_post"][0]
    with pytest.raises(ServiceError, match="须选择新任的非领导职务职位"):
        services.reassign_non_leadership(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕49号", ON), new_post=None
        )
    assert written() == before


def test_a_document_item_the_registry_refuses_rolls_the_whole_exit_back(officer, make_leader, posts):
    cadre = make_leader(D(1970, 1, 1))
    appoint(officer, cadre, posts.clerk)  # already holds the post it would be appointed to
    before = written()
    with pytest.raises(ServiceError, match="不能重复任命"):
        services.reassign_non_leadership(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕50号", ON), new_post=posts.clerk
        )
    assert written() == before
