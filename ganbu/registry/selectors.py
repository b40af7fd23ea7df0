"""Registry reads, always scoped to the user (``ganbu.core.access``), with fixed query counts."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Concat, Replace
from django.http import Http404
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.rules.dates import birth_range_for_age
from ganbu.rules.tenure import TenureFacts, is_current, years_in_post

from .models import (
    AppointmentDocument,
    Cadre,
    CorrectionRequest,
    DocumentItem,
    FamilyMember,
    Post,
    Quota,
    RewardSanction,
    RosterColumnSet,
    StructureCount,
    Tenure,
    Unit,
)
from .search import name_contains, prefix_q

SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "age": ("-birth_date", "id"),
    "-age": ("birth_date", "id"),
    "rank": ("rank_order", "name_pinyin", "id"),
    "unit": ("unit__path", "name_pinyin", "id"),
    "updated": ("-updated_at", "-id"),
}
_INITIALS = re.compile(r"^[a-zA-Z]+$")

# The name order of a search, by an expression no index matches. Why: the matches of a surname
# search sort together (王 or wang → wang…, near the end), and walking the pinyin index in order,
# a plan PostgreSQL picks for ORDER BY … LIMIT believing matches are spread evenly, reads most of
# the table before the first match (300 ms at 100,000 cadres); the search's own indexes find the
# matches and a top-N sort orders them (a few ms). Appending '' changes no value, so the order
# is the same as SORTS["name"].
_NAME_ORDER_BY_SORT: dict[bool, tuple[Any, ...]] = {
    False: (Concat("name_pinyin", Value("")).asc(), "id"),
    True: (Concat("name_pinyin", Value("")).desc(), "-id"),
}


@dataclass
class CadreFilter:
    """Filters of the cadre list; every field is optional."""

    q: str = ""
    unit_id: int | None = None
    gender: str = ""
    age_min: int | None = None
    age_max: int | None = None
    age_on: dt.date | None = None
    rank: str = ""
    leadership: bool | None = None
    political_status: str = ""
    education: str = ""
    status: str = ""
    reserve: bool | None = None
    post_id: int | None = None
    sort: str = "name"
    extra: dict[str, Any] = field(default_factory=dict)


def cadre_list(*, user: User, filters: CadreFilter | None = None) -> QuerySet[Cadre]:
    """Cadres the user may see, filtered and sorted; paginate the result in the database."""
    f = filters or CadreFilter()
    qs = cadres_for(user).select_related("unit")
    order = SORTS.get(f.sort, SORTS["name"])
    term = "".join(f.q.split())
    if term:
        # Both searches are served by an index; why they are written this way: ganbu.registry.search.
        if _INITIALS.match(term):
            term = term.lower()
            qs = qs.filter(prefix_q("name_initials", term) | prefix_q("name_pinyin", term))
        else:
            qs = name_contains(qs, term)
        if f.sort not in SORTS or f.sort in ("name", "-name"):
            order = _NAME_ORDER_BY_SORT[f.sort == "-name"]
    if f.unit_id:
        unit = units_for(user).filter(pk=f.unit_id).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.age_min is not None or f.age_max is not None:
        earliest, latest = birth_range_for_age(f.age_min, f.age_max, f.age_on or timezone.localdate())
        if earliest:
            qs = qs.filter(birth_date__gte=earliest)
        if latest:
            qs = qs.filter(birth_date__lte=latest)
    if f.rank:
        qs = qs.filter(rank=f.rank)
    if f.leadership is not None:
        qs = qs.filter(is_leadership=f.leadership)
    if f.political_status:
        qs = qs.filter(political_status=f.political_status)
    if f.education:
        qs = qs.filter(highest_education=f.education)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.reserve is not None:
        qs = qs.filter(is_reserve=f.reserve)
    if f.post_id:
        # Its current holders: where the unit page's 「查看全部」 leads when a post has many.
        on = timezone.localdate()
        holds = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
        qs = qs.filter(Exists(Tenure.objects.filter(holds, post_id=f.post_id, cadre=OuterRef("pk"))))
    return qs.order_by(*order)


def cadre_get_for_user(*, user: User, cadre_id: int) -> Cadre:
    """One cadre the user may see, or 404 (missing and forbidden look the same)."""
    cadre = cadres_for(user).select_related("unit").filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404("干部不存在或不在您的管理范围内。")
    return cadre


def cadre_search(*, user: User, term: str, limit: int = 20) -> list[Cadre]:
    """Picker search: the first ``limit`` cadres matching a name or pinyin initials."""
    term = term.strip()
    if not term:
        return []
    return list(cadre_list(user=user, filters=CadreFilter(q=term))[:limit])


@dataclass(frozen=True)
class TenureView:
    """A tenure with its derived facts, for the career-history tab."""

    tenure: Tenure
    years: float
    is_current: bool


def cadre_career(*, user: User, cadre: Cadre, on: dt.date | None = None) -> list[TenureView]:
    """The cadre's tenures, newest first, with years in post (probation counted, 条例 第五十四条)."""
    cadre_get_for_user(user=user, cadre_id=cadre.pk)
    on = on or timezone.localdate()
    tenures = list(
        Tenure.objects.filter(cadre=cadre)
        .select_related("post__unit", "start_item__document", "end_item__document")
        .order_by("-start_date", "-id")
    )
    facts = {t.pk: _facts(t) for t in tenures}
    # Each tenure on its own dates: a removal dated later (end in the future) is still current
    # today, and an appointment dated later is not current yet.
    return [
        TenureView(tenure=t, years=years_in_post(facts[t.pk], on), is_current=is_current(facts[t.pk], on))
        for t in tenures
    ]


def _facts(t: Tenure) -> TenureFacts:
    return TenureFacts(
        post_id=t.post_id,
        post_title=t.post.title,
        unit_name=t.post.unit.name,
        start=t.start_date,
        end=t.end_date,
        is_leadership=t.post.is_leadership,
    )


@dataclass(frozen=True)
class CadreRecord:
    """Everything the cadre page shows, with sensitive parts left out for roles that lack them."""

    cadre: Cadre
    show_id: bool
    show_family: bool
    show_supervision: bool
    career: list[TenureView]
    ranks: list[Any]
    resume: list[Any]
    family: list[Any]
    assessments: list[Any]
    rewards_sanctions: list[Any]
    reserve: list[Any]


def cadre_record(*, user: User, cadre_id: int) -> CadreRecord:
    """The whole record of one cadre for the cadre page (a fixed number of queries)."""
    from ganbu.core.access import can_see_sensitive

    cadre = cadre_get_for_user(user=user, cadre_id=cadre_id)
    show_family = can_see_sensitive(user, cadre, Cap.SENSITIVE_FAMILY)
    show_supervision = can_see_sensitive(user, cadre, Cap.SENSITIVE_SUPERVISION)
    # The sanction's state (DISC-03/04/05) reads the row it combined and whether a newer one
    # combined it, in this one query.
    rs = cadre.rewards_sanctions.select_related("combined_with").annotate(
        is_combined=Exists(RewardSanction.objects.filter(combined_with=OuterRef("pk")))
    )
    if not show_supervision:
        rs = rs.filter(kind="reward")
    return CadreRecord(
        cadre=cadre,
        show_id=can_see_sensitive(user, cadre, Cap.SENSITIVE_ID),
        show_family=show_family,
        show_supervision=show_supervision,
        career=cadre_career(user=user, cadre=cadre),
        ranks=list(cadre.rank_records.select_related("item__document").order_by("-start_date")),
        resume=list(cadre.resume_entries.all()),
        family=list(cadre.family_members.all()) if show_family else [],
        assessments=list(cadre.assessments.all()),
        rewards_sanctions=list(rs),
        reserve=list(cadre.reserve_memberships.all()),
    )


@dataclass(frozen=True)
class QuotaRow:
    """A unit's quota of one post kind with how many are filled and vacant."""

    kind: str
    kind_label: str
    quota: int
    filled: int

    @property
    def vacancies(self) -> int:
        return self.quota - self.filled


def unit_get_for_user(*, user: User, unit_id: int) -> Unit:
    """One unit the user may see, or 404."""
    unit = units_for(user).select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("单位不存在或不在您的管理范围内。")
    return unit


def _serving_here() -> CombinedExpression:
    """The serving cadres whose unit is the outer query's unit (not its sub-units), as a subquery.

    Read from the structure summary the database keeps by triggers (``StructureCount``, decision
    0015): a few index rows per unit instead of counting that unit's cadres. The summary holds
    subtree totals (a unit's row counts the units under it too), so a unit's own cadres are its
    total less its direct children's totals: two indexed subqueries per unit returned.
    """
    serving = StructureCount.objects.filter(dimension="serving", key="").order_by()
    subtree = serving.filter(unit=OuterRef("pk")).values("unit").annotate(n=Sum("n")).values("n")
    children = (
        serving.filter(unit__parent=OuterRef("pk")).values("unit__parent").annotate(n=Sum("n")).values("n")
    )
    return Coalesce(Subquery(subtree), Value(0)) - Coalesce(Subquery(children), Value(0))


def unit_list(*, user: User) -> QuerySet[Unit]:
    """Units the user may see, in tree order, each with ``cadre_count``: its own serving cadres.

    The count comes from the structure summary, one indexed subquery per unit returned, so a page
    or a slice of this list costs what its rows cost, whatever the number of cadres.
    """
    return units_for(user).annotate(cadre_count=_serving_here()).order_by("path")


UNIT_TREE_WHOLE_LIMIT = 500
"""Up to this many units in scope (a county), the unit tree page shows them all at once; beyond it
(a province), one unit's children at a time. Read at call time, so tests can lower it."""


@dataclass(frozen=True)
class UnitTree:
    """What the unit tree page shows: the whole tree, or one unit's children a page at a time.

    ``whole``: ``units`` is every unit in scope, in tree order. Otherwise ``children`` (to be
    paginated by the caller) are the units directly under ``unit`` (under the top of the scope
    when ``unit`` is None), each with ``cadre_count`` and ``child_count``; ``crumbs`` are ``unit``'s
    ancestors within the scope, top first. ``unit_count`` covers ``unit`` and every unit under it
    (the whole scope when ``unit`` is None); ``serving``, the serving cadres of the whole tree, is
    given only when ``whole``.
    """

    whole: bool
    units: list[Unit]
    unit: Unit | None
    crumbs: list[Unit]
    children: QuerySet[Unit] | None
    unit_count: int
    serving: int | None


def unit_tree(*, user: User, under: object = None) -> UnitTree:
    """The unit tree page's content for ``user``, bounded whatever the number of units in scope.

    Up to ``UNIT_TREE_WHOLE_LIMIT`` units in scope: all of them (two queries: a capped count and the
    list; ``under`` is ignored, every unit is on the page already). Beyond: the children of
    ``under`` (the id of a unit in scope; anything else means the top of the scope), not yet
    evaluated, plus the unit, its ancestors and its subtree's number of units (two to four queries).
    Serving counts come from the structure summary, never from the cadre table.
    """
    limit = UNIT_TREE_WHOLE_LIMIT
    scope = units_for(user)
    if scope.order_by()[: limit + 1].count() <= limit:
        units = list(unit_list(user=user))
        serving = sum(u.cadre_count for u in units)  # type: ignore[attr-defined]
        return UnitTree(True, units, None, [], None, len(units), serving)
    text = str(under or "")
    unit = None
    if text.isdigit() and len(text) <= 18:
        unit = scope.filter(pk=int(text)).first()
    crumbs: list[Unit] = []
    if unit is None:
        top_depth = scope.order_by("depth").values("depth")[:1]
        children = scope.filter(depth=Subquery(top_depth))
        subtree = scope
    else:
        ancestors = [int(part) for part in unit.path.split(".") if part and int(part) != unit.pk]
        if ancestors:
            crumbs = list(scope.filter(pk__in=ancestors).order_by("depth").only("id", "name", "depth"))
        children = scope.filter(parent=unit)
        subtree = scope.filter(path__startswith=unit.path)
    below = Unit.objects.filter(parent=OuterRef("pk")).order_by().values("parent").annotate(c=Count("id"))
    children = children.annotate(
        cadre_count=_serving_here(), child_count=Coalesce(Subquery(below.values("c")), Value(0))
    ).order_by("path")
    # No serving total here: summing the summary over a province-sized subtree reads a row per
    # unit (50 ms at 8,000 units); the dashboard has the head counts, the cadre list the names.
    return UnitTree(False, [], unit, crumbs, children, subtree.order_by().count(), None)


def unit_choices(*, user: User) -> QuerySet[Unit]:
    """Units the user may see, in tree order, for a form's unit select: no cadre counts.

    ``unit_list`` counts every unit's serving cadres, a scan of the whole cadre table that a select
    never shows (at 100,000 cadres it was most of the campaign applications page's time, issue 13).
    """
    return units_for(user).order_by("path")


def unit_search(*, user: User, term: str, limit: int = 20) -> list[Unit]:
    """Unit picker search: the first ``limit`` units in scope whose name or short name contains
    ``term`` (spaces ignored), in tree order, each with its parent joined (to tell apart the many
    办公室). One query, bounded by ``limit`` whatever the number of units.
    """
    term = "".join(term.split())[:50]
    if not term:
        return []
    units = units_for(user).filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    return list(units.select_related("parent").order_by("path")[:limit])


PICKER_TOP_LIMIT = 100
"""How many units of the top two levels a unit select renders; the rest are found by searching."""


def unit_picker_options(*, user: User, chosen: object = None) -> list[Unit]:
    """The few units a unit select renders, in tree order, whatever the number of units in scope.

    The top two levels of the user's scope (at most ``PICKER_TOP_LIMIT``) and, when ``chosen`` is the id of a
    unit in scope, that unit with its ancestors in scope and its children (as many again), so
    an officer without JavaScript can still go down the tree one level at a time. A ``chosen``
    outside scope or malformed is not among them, which makes the form refuse it. At most three
    queries: the select used to load every unit, 8,000 in a province-sized registry (issue 13).
    """
    limit = PICKER_TOP_LIMIT
    scope = units_for(user)
    fields = ("id", "name", "depth", "path", "parent_id")
    top_depth = scope.order_by("depth").values("depth")[:1]
    top = list(scope.filter(depth__lte=Subquery(top_depth) + 1).order_by("path").only(*fields)[:limit])
    text = str(chosen or "")
    if not (text.isdigit() and len(text) <= 18):
        return top
    unit = scope.filter(pk=int(text)).only(*fields).first()
    if unit is None:
        return top
    ancestors = [int(part) for part in unit.path.split(".") if part]
    around = list(
        scope.filter(Q(pk__in=ancestors) | Q(path__startswith=unit.path, depth=unit.depth + 1))
        .order_by("path")
        .only(*fields)[: limit + len(ancestors)]
    )
    merged = {u.pk: u for u in [*top, *around]}
    return sorted(merged.values(), key=lambda u: u.path)


def unit_quotas(*, user: User, unit: Unit, on: dt.date | None = None) -> list[QuotaRow]:
    """Quota, filled and vacancies per post kind for one unit (filled counts current tenures)."""
    unit_get_for_user(user=user, unit_id=unit.pk)
    on = on or timezone.localdate()
    filled: dict[str, int] = defaultdict(int)
    rows = (
        Tenure.objects.filter(post__unit=unit, post__counts_toward_quota=True, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values("post__kind")
        .annotate(n=Count("id"))
    )
    for row in rows:
        filled[row["post__kind"]] = row["n"]
    quotas = {q.kind: q for q in Quota.objects.filter(unit=unit)}
    kinds = list(dict.fromkeys([*quotas, *filled]))
    result = []
    for kind in kinds:
        q = quotas.get(kind)
        label = q.get_kind_display() if q else dict(Post._meta.get_field("kind").choices or [])[kind]
        result.append(
            QuotaRow(kind=kind, kind_label=str(label), quota=q.number if q else 0, filled=filled[kind])
        )
    return result


HOLDERS_SHOWN = 10
"""Current holders shown per post on the unit page; the rest are one link away (the cadre list)."""


def unit_posts(
    *, user: User, unit: Unit, on: dt.date | None = None, holders_shown: int = HOLDERS_SHOWN
) -> QuerySet[Post]:
    """The unit's posts, each with its first ``holders_shown`` current holders (``post.holders``,
    tenures with their cadre, longest-serving first) and the number of them (``post.holder_count``).

    Why a bounded number: a post such as 科员 in a big unit has hundreds of holders (727 at 100,000
    cadres), and the unit page prefetched them all (issue 13); the page lists the first few and
    links to the cadre list filtered by the post (``CadreFilter.post_id``) for the rest. The
    holders are cut in the database (a window per post), so the page runs the same queries and
    reads a bounded number of rows whatever the unit's size. Paginate the posts in the database.
    """
    unit_get_for_user(user=user, unit_id=unit.pk)
    on = on or timezone.localdate()
    holds = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    current = Tenure.objects.filter(holds).select_related("cadre").order_by("start_date", "id")
    count = (
        Tenure.objects.filter(holds, post=OuterRef("pk")).order_by().values("post").annotate(n=Count("id"))
    )
    return (
        unit.posts.annotate(holder_count=Coalesce(Subquery(count.values("n")[:1]), Value(0)))
        .prefetch_related(Prefetch("tenures", queryset=current[:holders_shown], to_attr="holders"))
        .order_by("sort_order", "id")
    )


def post_list(*, user: User, unit_id: int | None = None) -> QuerySet[Post]:
    """Posts in units the user may see."""
    qs = Post.objects.filter(unit__in=units_for(user)).select_related("unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def post_get_for_user(*, user: User, post_id: int) -> Post:
    """One post in a unit the user may see, or 404."""
    post = post_list(user=user).filter(pk=post_id).first()
    if post is None:
        raise Http404("职位不存在或不在您的管理范围内。")
    return post


def tenure_list(*, user: User, cadre_id: int | None = None, current_only: bool = False) -> QuerySet[Tenure]:
    """Tenures of cadres the user may see."""
    qs = Tenure.objects.filter(cadre__in=cadres_for(user)).select_related("cadre", "post__unit")
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if current_only:
        qs = qs.filter(end_date__isnull=True)
    return qs.order_by("-start_date", "-id")


def document_list(*, user: User) -> QuerySet[AppointmentDocument]:
    """Documents with at least one item about a cadre the user may see."""
    if not has_cap(user, Cap.REGISTRY_VIEW):
        return AppointmentDocument.objects.none()
    visible = cadres_for(user)
    if user.scope_unit_id is None and not user.scope_authorities:
        return AppointmentDocument.objects.all()
    return AppointmentDocument.objects.filter(items__cadre__in=visible).distinct()


def document_get_for_user(*, user: User, document_id: int) -> AppointmentDocument:
    """One document the user may see, or 404."""
    doc = document_list(user=user).filter(pk=document_id).first()
    if doc is None:
        raise Http404("任免文件不存在或不在您的管理范围内。")
    return doc


def correction_list(*, user: User, pending_only: bool = True) -> QuerySet[CorrectionRequest]:
    """Correction requests the user may review, or (for a cadre) their own."""
    if has_cap(user, Cap.CORRECTION_REVIEW):
        qs = CorrectionRequest.objects.filter(cadre__in=cadres_for(user))
    elif has_cap(user, Cap.SELF_SERVICE):
        qs = CorrectionRequest.objects.filter(submitted_by=user)
    else:
        return CorrectionRequest.objects.none()
    if pending_only:
        qs = qs.filter(status="pending")
    return qs.select_related("cadre", "submitted_by")


def document_items_for_user(*, user: User, document: AppointmentDocument) -> list[DocumentItem]:
    """The items of a document that concern cadres the user may see, in document order.

    A document may appoint people in several units; a unit officer sees the document but only
    the items about cadres in their scope (干部管理权限).
    """
    document_get_for_user(user=user, document_id=document.pk)
    return list(
        DocumentItem.objects.filter(document=document, cadre__in=cadres_for(user))
        .select_related("cadre", "post__unit")
        .order_by("sort_order", "id")
    )


def cadre_family_for_user(*, user: User, cadre_id: int) -> list[FamilyMember]:
    """A cadre's family members, or 404 unless the user may see families (SENSITIVE_FAMILY).

    404 rather than 403: for a role without the capability the family part does not exist.
    """
    from ganbu.core.access import can_see_sensitive

    cadre = cadre_get_for_user(user=user, cadre_id=cadre_id)
    if not can_see_sensitive(user, cadre, Cap.SENSITIVE_FAMILY):
        raise Http404("干部不存在或不在您的管理范围内。")
    return list(cadre.family_members.order_by("sort_order", "id"))


def post_search(*, user: User, term: str = "", unit_id: int | None = None, limit: int = 20) -> list[Post]:
    """Post picker search: active posts in scope matching ``term`` by unit and title, in any spacing.

    A post matches when every word of ``term`` is in its title or unit name (「财政局 副局长」,
    「副局长 财政局」), or when ``term`` without its spaces is in the unit's name or short name
    joined to the title (「财政局副局长」 finds 县财政局 副局长). The filtering and the limit run in the
    database (``Concat``/``Replace`` work on SQLite and PostgreSQL alike). Each post carries its
    current holders (``post.holders``, tenures with their cadre), so a removal can be aimed at the
    right post; two queries whatever the number of posts.
    """
    qs = post_list(user=user, unit_id=unit_id).filter(is_active=True)
    words = term.split()[:5]
    if words:
        each_word = Q()
        for word in words:
            each_word &= (
                Q(title__icontains=word) | Q(unit__name__icontains=word) | Q(unit__short_name__icontains=word)
            )
        joined = "".join(words)
        # Spaces inside a stored name or title must not stop a match either.
        qs = qs.annotate(
            _unit_title=Replace(Concat("unit__name", "title"), Value(" "), Value("")),
            _short_title=Replace(Concat("unit__short_name", "title"), Value(" "), Value("")),
        ).filter(each_word | Q(_unit_title__icontains=joined) | Q(_short_title__icontains=joined))
    on = timezone.localdate()
    current = (
        Tenure.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("cadre")
        .order_by("start_date", "id")
    )
    return list(qs.prefetch_related(Prefetch("tenures", queryset=current, to_attr="holders"))[:limit])


def vacant_posts(
    *, user: User, unit: Unit | None = None, rank: str = "", on: dt.date | None = None
) -> QuerySet[Post]:
    """空缺职位: active posts in the user's scope that nobody holds on ``on`` (default today).

    ``unit`` narrows to that unit and the units under it (the caller takes it from the user's
    units), ``rank`` to posts of that 职级. Each post carries, computed by the database:
    ``last_end`` (the end of its last tenure: vacant since then), ``created_at`` (when the post
    was set up, from its ``post.created`` audit event; ``None`` for posts loaded in bulk), and its
    unit's quota of that post kind, ``quota_number`` (``None`` when none is set) and
    ``quota_filled`` (current tenures of posts that count toward it). Why subqueries and not a
    loop: the page is paginated in the database and runs the same queries for ten posts or ten
    thousand. In unit-tree order.
    """
    from ganbu.core.models import AuditEvent

    on = on or timezone.localdate()
    holds = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    qs = (
        post_list(user=user)
        .filter(is_active=True)
        .filter(~Exists(Tenure.objects.filter(holds, post=OuterRef("pk"))))
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if rank:
        qs = qs.filter(rank=rank)
    last_end = (
        Tenure.objects.filter(post=OuterRef("pk"), end_date__lte=on).order_by("-end_date").values("end_date")
    )
    created = AuditEvent.objects.filter(
        event_type="post.created", target_type=Post._meta.label, target_id=Cast(OuterRef("pk"), CharField())
    ).values("event_time")
    quota = Quota.objects.filter(unit=OuterRef("unit"), kind=OuterRef("kind")).values("number")
    filled = (
        Tenure.objects.filter(holds, post__unit=OuterRef("unit"), post__kind=OuterRef("kind"))
        .filter(post__counts_toward_quota=True)
        .order_by()
        .values("post__unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        last_end=Subquery(last_end[:1]),
        created_at=Subquery(created[:1]),
        quota_number=Subquery(quota[:1]),
        quota_filled=Coalesce(Subquery(filled[:1]), Value(0)),
    ).order_by("unit__path", "sort_order", "id")


QuotaTable = dict[int, dict[str, tuple[int | None, int]]]
"""Unit id → post kind → (quota or None, filled)."""


def unit_quota_table(*, user: User, on: dt.date | None = None) -> QuotaTable:
    """职数 of every unit in the user's scope: unit id → post kind → (quota or None, filled on ``on``).

    Two queries whatever the number of units (the quotas, and the current tenures of posts that
    count toward them, grouped); a kind appears when it has a quota or a holder.
    """
    on = on or timezone.localdate()
    units = units_for(user)
    table: dict[int, dict[str, tuple[int | None, int]]] = defaultdict(dict)
    quotas = Quota.objects.filter(unit__in=units).values_list("unit_id", "kind", "number")
    for unit_id, kind, number in quotas:
        table[unit_id][kind] = (number, 0)
    filled = (
        Tenure.objects.filter(post__unit__in=units, post__counts_toward_quota=True, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by()
        .values_list("post__unit_id", "post__kind")
        .annotate(n=Count("id"))
    )
    for unit_id, kind, n in filled:
        table[unit_id][kind] = (table[unit_id].get(kind, (None, 0))[0], n)
    return dict(table)


# ---------------------------------------------------------------- dashboard: team structure (web UI)

# Age bands of the usual 干部队伍结构 analysis: (label, lowest age, highest age), both inclusive.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("35岁及以下", None, 35),
    ("36—40岁", 36, 40),
    ("41—45岁", 41, 45),
    ("46—50岁", 46, 50),
    ("51—55岁", 51, 55),
    ("56岁及以上", 56, None),
)


@dataclass(frozen=True)
class StructureSummary:
    """Head counts of the cadres in a user's scope for the dashboard, as of ``on``.

    ``total`` counts every record in scope; the other figures count serving (在职) cadres only, as
    a team-structure analysis does. Each breakdown is a list of (label, count) in display order.
    """

    on: dt.date
    total: int
    serving: int
    leaders: int
    reserve: int
    by_age: list[tuple[str, int]]
    by_education: list[tuple[str, int]]
    by_gender: list[tuple[str, int]]


def cadre_structure(*, user: User, on: dt.date | None = None) -> StructureSummary:
    """Counts and age / education / gender breakdowns of the user's cadres in ONE aggregate query.

    Why one query: the dashboard must stay fast at a province's scale, so every figure is a
    filtered ``COUNT`` computed by the database (ages via birth-date ranges, ``birth_range_for_age``),
    never a loop over rows.
    """
    return structure_of(cadres_for(user), on=on)


def structure_of(cadres: QuerySet[Cadre], *, on: dt.date | None = None) -> StructureSummary:
    """The dashboard's figures for cadres the caller has already scoped, in one aggregate query.

    ``cadre_structure`` passes the user's cadres; the demo command, on the server console with no
    user, passes every cadre, so that what it prints is counted exactly as the dashboard counts.
    """
    from .choices import CadreStatus, Education, Gender

    on = on or timezone.localdate()
    serving = Q(status=CadreStatus.SERVING)
    counts: dict[str, Any] = {
        "total": Count("id"),
        "serving": Count("id", filter=serving),
        "leaders": Count("id", filter=serving & Q(is_leadership=True)),
        "reserve": Count("id", filter=serving & Q(is_reserve=True)),
    }
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        earliest, latest = birth_range_for_age(low, high, on)
        band = serving
        if earliest:
            band &= Q(birth_date__gte=earliest)
        if latest:
            band &= Q(birth_date__lte=latest)
        counts[f"age_{index}"] = Count("id", filter=band)
    educations: list[tuple[str, str]] = [(str(v), str(lbl)) for v, lbl in Education.choices]
    educations.append(("", "未填写"))
    for code, _label in educations:
        counts[f"edu_{code or 'none'}"] = Count("id", filter=serving & Q(highest_education=code))
    for code, _label in Gender.choices:
        counts[f"gender_{code}"] = Count("id", filter=serving & Q(gender=code))
    row = cadres.aggregate(**counts)
    return StructureSummary(
        on=on,
        total=row["total"],
        serving=row["serving"],
        leaders=row["leaders"],
        reserve=row["reserve"],
        by_age=[(label, row[f"age_{i}"]) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)],
        by_education=[(label, row[f"edu_{code or 'none'}"]) for code, label in educations],
        by_gender=[(str(label), row[f"gender_{code}"]) for code, label in Gender.choices],
    )


# ---------------------------------------------------------------- saved roster column sets


def roster_column_sets(*, user: User) -> QuerySet[RosterColumnSet]:
    """The user's own saved roster column sets, by name (nobody sees another user's)."""
    return RosterColumnSet.objects.filter(user=user).order_by("name", "id")


def roster_column_set_get(*, user: User, column_set_id: int) -> RosterColumnSet:
    """One of the user's saved column sets, or 404 (another user's looks like a missing one)."""
    column_set = roster_column_sets(user=user).filter(pk=column_set_id).first()
    if column_set is None:
        raise Http404("列组合不存在或不是您保存的。")
    return column_set
