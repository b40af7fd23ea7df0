"""Ballot reads, scoped to the user: results only after the count and only to those who may see them.

Who may see results: organization-department officers and leaders with the ballot's unit in their
scope, and, for committee votes, the members on that vote's roster. Everyone else — and everyone
before the count — gets 404, the same as for a ballot that does not exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, units_for

from .choices import BallotKind, BallotStatus, Channel
from .models import (
    Ballot,
    BallotItem,
    BallotResult,
    Credential,
    PaperCount,
    Participation,
    Recusal,
    SealedSheet,
    Sheet,
    Voter,
)

RESULT_STATUSES = (BallotStatus.TALLIED, BallotStatus.PUBLISHED)
_NOT_FOUND = "投票不存在或无权访问。"


def ballots_for(user: User) -> QuerySet[Ballot]:
    """Ballots the user may see: staff by unit scope; committee members the votes they sit on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Ballot.objects.none()
    if has_cap(user, Cap.BALLOT_WITNESS):
        return Ballot.objects.filter(unit__in=units_for(user))
    if user.role == Role.COMMITTEE_MEMBER:
        return Ballot.objects.filter(kind=BallotKind.COMMITTEE, voters__user=user)
    return Ballot.objects.none()


def _may_see_results(user: User, ballot: Ballot) -> bool:
    """Counted, and the user is staff with the unit in scope or a member of this committee vote."""
    if ballot.status not in RESULT_STATUSES:
        return False
    if has_cap(user, Cap.BALLOT_RESULTS):
        return units_for(user).filter(pk=ballot.unit_id).exists()
    if user.role == Role.COMMITTEE_MEMBER and ballot.kind == BallotKind.COMMITTEE:
        return Voter.objects.filter(ballot=ballot, user=user).exists()
    return False


@dataclass(frozen=True)
class ItemResult:
    """One item's stored result, for display: the item's label and the tally data with its reasons."""

    item_id: int
    label: str
    data: dict[str, Any]


def ballot_results(*, user: User, ballot_id: int) -> tuple[Ballot, list[ItemResult]]:
    """The results of a tallied ballot, if this user may see them; otherwise 404."""
    ballot = ballots_for(user).select_related("unit").filter(pk=ballot_id).first()
    if ballot is None or not _may_see_results(user, ballot):
        raise Http404(_NOT_FOUND)
    rows = BallotResult.objects.filter(ballot=ballot).select_related("item")
    return ballot, [ItemResult(item_id=r.item_id, label=str(r.item), data=r.data) for r in rows]


def ballot_receipts(*, ballot_id: int) -> list[str]:
    """The published receipt list, sorted: public by design, so a voter can find their receipt.

    No user is needed: a receipt says nothing about who holds it. Before publication, 404.
    """
    if not Ballot.objects.filter(pk=ballot_id, status=BallotStatus.PUBLISHED).exists():
        raise Http404(_NOT_FOUND)
    receipts = (
        Sheet.objects.filter(ballot_id=ballot_id)
        .exclude(receipt="")
        .values_list("receipt", flat=True)
        .distinct()
    )
    return sorted(receipts)


@dataclass(frozen=True)
class BallotProgress:
    """What staff may watch while a ballot runs: counts only, never content."""

    credentials_issued: int
    credentials_used: int
    members: int
    participations: int


def ballot_progress(*, user: User, ballot_id: int) -> BallotProgress:
    """Issued and used counts of a ballot the user manages or leads (404 otherwise)."""
    if not has_cap(user, Cap.BALLOT_WITNESS):
        raise Http404(_NOT_FOUND)
    ballot = ballots_for(user).filter(pk=ballot_id).first()
    if ballot is None:
        raise Http404(_NOT_FOUND)
    return BallotProgress(
        credentials_issued=Credential.objects.filter(ballot=ballot).count(),
        credentials_used=Credential.objects.filter(ballot=ballot, used=True).count(),
        members=Voter.objects.filter(ballot=ballot).count(),
        participations=Participation.objects.filter(ballot=ballot).count(),
    )


def ballot_get_for_casting(*, ballot_id: int) -> Ballot | None:
    """The ballot a credential may be cast on (open, electronic, not a committee vote), else None.

    Reads no user on purpose: the voter page is public and shows only the title and items, which
    every slip holder already has on paper.
    """
    return (
        Ballot.objects.filter(pk=ballot_id, status=BallotStatus.OPEN, channel=Channel.ELECTRONIC)
        .exclude(kind=BallotKind.COMMITTEE)
        .first()
    )


def ballot_get_published(*, ballot_id: int) -> Ballot:
    """A published ballot (public: its receipt list is published), or 404."""
    ballot = Ballot.objects.filter(pk=ballot_id, status=BallotStatus.PUBLISHED).first()
    if ballot is None:
        raise Http404(_NOT_FOUND)
    return ballot


def ballot_get_public(*, ballot_id: int) -> Ballot:
    """Any ballot by id, for casting with a code (the code, not a login, says who may cast), or 404.

    The cast service then refuses a ballot that is not open, with its own message.
    """
    ballot = Ballot.objects.filter(pk=ballot_id).first()
    if ballot is None:
        raise Http404(_NOT_FOUND)
    return ballot


def ballot_items_in(*, ballot: Ballot, ids: list[int]) -> list[BallotItem]:
    """The items of ``ballot`` among ``ids`` (ids of other ballots are simply absent)."""
    return list(BallotItem.objects.filter(ballot=ballot, pk__in=ids))


def ballot_voter_get(*, ballot: Ballot, voter_id: int) -> Voter:
    """A roster member of a ballot the caller already may see, or 404."""
    voter = Voter.objects.filter(ballot=ballot, pk=voter_id).first()
    if voter is None:
        raise Http404(_NOT_FOUND)
    return voter


def member_candidate_get(*, user_id: int) -> User | None:
    """An active user who could be put on a committee roster (the service decides if they may)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def ballot_roster(*, ballot: Ballot) -> list[Voter]:
    """The roster of a committee vote the caller may already see, with users and recusals (3 queries)."""
    return list(
        Voter.objects.filter(ballot=ballot)
        .select_related("user")
        .prefetch_related("recusals__item")
        .order_by("id")
    )


def committee_member_candidates() -> QuerySet[User]:
    """Active standing-committee members, who may be put on a committee vote's roster."""
    return User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True).order_by("username")


@dataclass(frozen=True)
class AgendaItem:
    """One item as a member sees it on their voting page: whether they voted or must stay out."""

    item: BallotItem
    voted: bool
    recusal_reason: str | None


@dataclass(frozen=True)
class MemberAgenda:
    """A committee member's own view of a vote: their roster entry and the items (None if not on it)."""

    voter: Voter | None
    items: list[AgendaItem]


def member_agenda(*, user: User, ballot_id: int) -> tuple[Ballot, MemberAgenda]:
    """The logged-in member's items of a committee vote with their own voted/recused state (else 404).

    Only the member's own participation is read: whether they voted, never what.
    """
    ballot = (
        Ballot.objects.filter(pk=ballot_id, kind=BallotKind.COMMITTEE, voters__user=user)
        .select_related("unit")
        .first()
    )
    if ballot is None or not user.is_active:
        raise Http404(_NOT_FOUND)
    voter = Voter.objects.get(ballot=ballot, user=user)
    voted = set(Participation.objects.filter(voter=voter).values_list("item_id", flat=True))
    recused = dict(Recusal.objects.filter(voter=voter).values_list("item_id", "reason"))
    items = [
        AgendaItem(item=item, voted=item.pk in voted, recusal_reason=recused.get(item.pk))
        for item in ballot.items.select_related("cadre", "post", "post__unit").order_by("sort_order", "id")
    ]
    return ballot, MemberAgenda(voter=voter, items=items)


def paper_counts_of(*, ballot: Ballot) -> dict[int, PaperCount]:
    """Each item's paper count of a ballot the caller may see, by item id, with who entered and confirmed."""
    rows = PaperCount.objects.filter(ballot=ballot).select_related("entered_by", "confirmed_by")
    return {row.item_id: row for row in rows}


def paper_sheets_entered(*, ballot: Ballot) -> dict[int, int]:
    """How many paper recommendation sheets were entered per item (counts only, never content).

    A sheet answers the items its content names (every post of the paper; one, for a sheet
    entered per item before migration 0007): the content is read only to count them.
    """
    entered: Counter[int] = Counter()
    for content in Sheet.objects.filter(ballot=ballot).values_list("content", flat=True):
        entered.update(int(item_id) for item_id in content)
    return dict(entered)


def ballot_result_rows(*, ballot: Ballot) -> list[ItemResult]:
    """The stored results of a counted ballot the caller already may see (for linked records)."""
    rows = BallotResult.objects.filter(ballot=ballot).select_related("item")
    return [ItemResult(item_id=r.item_id, label=str(r.item), data=r.data) for r in rows]


def ballot_sealed_count(*, ballot: Ballot) -> int:
    """How many sealed sheets a ballot the caller may see holds (a count; nobody can read them)."""
    return SealedSheet.objects.filter(ballot=ballot).count()


def ballot_purge_pending(*, ballot: Ballot) -> bool:
    """A counted electronic ballot on PostgreSQL whose vacuum after the count was not verified clean.

    Then dead row versions may still tie a participation or a used code to sealed sheets (which
    the destroyed key-share slips alone could open); the ballot page offers to vacuum again.
    """
    return (
        connection.vendor == "postgresql"
        and bool(ballot.public_key)
        and ballot.status in RESULT_STATUSES
        and Ballot.objects.filter(pk=ballot.pk, purged_at__isnull=True).exists()
    )
