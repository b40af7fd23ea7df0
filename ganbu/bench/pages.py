"""Every page of the web UI, timed: the lists (routes without arguments) and the detail pages.

The routes come from the URL resolver, so a new page is in the benchmark as soon as it exists. A
route without arguments is requested as is; a route with one argument is given a real row: the
heaviest of its kind where that is cheap to find (the cadre with the longest career, the unit
with the most cadres, the selection record with the most steps, the benchmark's campaign of 1,000
applicants), else the first. Forms that only write (new, edit, confirm …), the admin site, the API
(measured by its walk), sign-in pages and the voting pages (they need a voting code) are left out.
Each page is requested as the organization department's officer (zzb) and, where the officer is
refused, as the first demo account that may open it (the auditor for the audit log, the system
administrator for the accounts, an examiner for the judging pages, a cadre for self-service, nobody
signed in for the public desk), so that every page a role uses is timed. Routes that only accept
POST (they answer GET with 405) are left out. Pages no demo account opens are reported with the
officer's status and no timing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ganbu.bench.measure import Row, time_get

#: Path fragments of routes that are not pages to time: writes behind a GET form, sign-in, voting.
SKIP = re.compile(
    r"(^admin/|^api/|^vote/|login|logout|otp|2fa|password|/new/|/edit/|/add/|withdraw|cancel|confirm|"
    r"retry|/read/|reset|activate|/close/|clear/|unlock|/active/|register|/objection/|decide|advance|"
    r"/set/|hand-over|resolve|/upload/|apply/|/bulk/|/import/$|/review/identity/|/quotas/|/recusals/|"
    r"sheets/|\.lrmx|/photo/|/lrmx/|appointment-form)"
)


def _walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str, list[str]]]:
    from django.urls import URLPattern, URLResolver
    from django.urls.resolvers import RoutePattern

    for p in patterns:
        params = list(p.pattern.converters) if isinstance(p.pattern, RoutePattern) else []
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            for path, name, inner in _walk(p.url_patterns, prefix + str(p.pattern), ns):
                yield path, name, params + inner
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, params


def routes() -> list[tuple[str, str, list[str]]]:
    """(pattern, name, parameters) of every named web route that may be a page."""
    from django.urls import get_resolver

    seen: set[str] = set()
    out = []
    for pattern, name, params in _walk(get_resolver().url_patterns, "", None):
        if name in seen or SKIP.search(pattern) or len(params) > 1:
            continue
        seen.add(name)
        out.append((pattern, name, params))
    return sorted(out)


def _objects(campaign_id: int | None) -> list[tuple[str, Callable[[], int | None]]]:
    """Path prefixes and how to find the row their argument names (longest prefix first)."""
    from django.db.models import Count

    from ganbu.accounts.models import User
    from ganbu.campaigns.models import Campaign, ImportJob, InterviewPanel
    from ganbu.exits.models import ExitRecord, IncompetenceCase
    from ganbu.registry.models import AppointmentDocument, Cadre, Post, Unit
    from ganbu.selection.models import OpinionRequest, SelectionRecord
    from ganbu.voting.models import Ballot

    def first(qs: Any) -> Callable[[], int | None]:
        return lambda: qs.values_list("pk", flat=True).first()

    def heaviest(model: Any, relation: str) -> Callable[[], int | None]:
        return first(model.objects.annotate(_n=Count(relation)).order_by("-_n", "pk"))

    def campaign() -> int | None:
        return campaign_id or Campaign.objects.values_list("pk", flat=True).order_by("pk").first()

    return [
        ("public/campaigns/", campaign),
        ("public/notices/", lambda: _notice()),
        ("exits/cases/", first(IncompetenceCase.objects.order_by("pk"))),
        ("exits/", first(ExitRecord.objects.order_by("pk"))),
        ("cadres/", heaviest(Cadre, "tenures")),
        ("units/", heaviest(Unit, "cadres")),
        ("posts/", first(Post.objects.order_by("pk"))),
        ("campaigns/", campaign),
        ("selection/", heaviest(SelectionRecord, "events")),
        ("ballots/", heaviest(Ballot, "items")),
        ("documents/", heaviest(AppointmentDocument, "items")),
        ("users/", first(User.objects.filter(username="zzb"))),
        ("imports/", first(ImportJob.objects.order_by("-pk"))),
        ("judging/", first(InterviewPanel.objects.order_by("pk"))),
        ("opinions/", first(OpinionRequest.objects.order_by("-pk"))),
    ]


def _notice() -> int | None:
    from django.utils import timezone

    from ganbu.selection import selectors

    notice = selectors.current_notices(timezone.localdate()).first()
    return notice.pk if notice else None


#: Demo accounts tried, in this order, for a page the officer may not open ("" is nobody signed in).
OTHER_ACCOUNTS = ("shenji", "admin", "kaoguan1", "ganbu", "baoming", "zzbld", "jiwei", "changwei", "rsj", "")


def _clients(officer_client: Any) -> Iterator[tuple[str, Any]]:
    """The officer's client, then a client signed in as each other demo account that exists."""
    from django.test import Client

    from ganbu.accounts.models import User

    yield "zzb", officer_client
    users = {u.username: u for u in User.objects.filter(username__in=OTHER_ACCOUNTS)}
    for username in OTHER_ACCOUNTS:
        if username and username not in users:
            continue
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(users[username])
        yield username or "未登录", client


def measure(client: Any, repeat: int, *, campaign_id: int | None, out: Any) -> list[Row]:
    """Time every list page and every detail page, each as the first demo account that may open it."""
    from django.urls import reverse

    clients = list(_clients(client))

    finders = _objects(campaign_id)
    found: dict[str, int | None] = {}
    rows = []
    for pattern, name, params in routes():
        kwargs: dict[str, Any] = {}
        if params:
            prefix = next((p for p, _ in finders if pattern.startswith(p)), None)
            if prefix is None:
                continue  # an argument the benchmark has no row for (a kind, a key)
            if prefix not in found:
                found[prefix] = dict(finders)[prefix]()
            if found[prefix] is None:
                continue
            kwargs = {params[0]: found[prefix]}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        section = "详情页" if params else "列表页"
        try:
            status = client.get(url).status_code
            if status == 405:
                continue  # a POST-only route: nothing to show
            who, opener = "zzb", client
            if status != 200:
                found_opener = next(((w, c) for w, c in clients[1:] if c.get(url).status_code == 200), None)
                if found_opener is None:
                    rows.append(Row(section, f"{url}", status=str(status), note=name))
                    continue
                who, opener = found_opener
            note = name if who == "zzb" else f"{name}（以 {who} 身份）"
            rows.append(time_get(opener, section, url, url, {}, repeat, note=note))
        except Exception as exc:  # a page that fails must not stop the run: reported as failed
            rows.append(Row(section, url, status="失败", note=f"{name}: {type(exc).__name__}"))
    out.write(f"  页面：{len(rows)} 个路由\n")
    return rows
