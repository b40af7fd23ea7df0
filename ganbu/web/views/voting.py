"""Voting pages: staff set up and run ballots; voters cast with a one-time code, without logging in.

Staff views parse, call one ``ganbu.voting`` service or selector, and render; service errors show
as Chinese messages. The voter views have no login and keep nothing about the voter: no session
write, no message in the cookie store, no log line — the receipt is rendered in the POST response.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.core.downloads import CONTENT_TYPES, document_response
from ganbu.policy.keys import display_value
from ganbu.policy.selectors import policy_value
from ganbu.registry import selectors as registry_selectors
from ganbu.rules.tally import CommitteeChoice, Grade
from ganbu.voting import selectors, services
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot
from ganbu.voting.recusal import RECUSAL_KEY, convention_of
from ganbu.voting.result_sheet import result_sheet

from ..exports import stream_table, wants_xlsx
from ..forms_common import add_service_error
from ..forms_voting import (
    BallotForm,
    BallotKeyForm,
    BallotNumberForm,
    CredentialIssueForm,
    ItemForm,
    KeySharesForm,
    MeetingAttendanceForm,
    MemberAddForm,
)
from ..public_url import public_url
from .org_common import AuthedRequest, page_of

MSG_CODE_USED = "该投票码已使用"
GRADES = [(g.value, g.label) for g in Grade]
LABELS = {**dict(GRADES), **{c.value: c.label for c in CommitteeChoice}}


def _percent(fraction_text: str) -> str:
    """An exact share such as "2/5" shown as 40.00%."""
    share = Fraction(fraction_text)
    return f"{float(share) * 100:.2f}%"


# Each life-cycle button: the service it calls and the message shown when it succeeds. Opening
# (key-share slips to print) and counting an electronic ballot (the 监票人's shares) have pages.
ACTIONS: dict[str, tuple[Any, str]] = {
    "open": (services.ballot_open, "投票已开始。"),
    "close": (services.ballot_close, "投票已结束。"),
    "tally": (services.ballot_tally, "计票完成。"),
    "publish": (services.ballot_publish, "结果与回执码已公布。"),
}
MSG_PURGED = "已清除数据库中密封选票、投票记录和投票码的旧版本，并核实无残留。"
MSG_NOT_PURGED = (
    "计票已完成，但未能核实数据库中已删除的密封选票、投票记录和投票码旧版本已全部清除"
    "（数据库账号无权清理这些表，或有其他长时间运行的数据库操作）。请系统管理员按部署说明执行"
    "「ganbu voting_purge」，或稍后在本页点击「清除旧版本」。"
)


def slip_qr(vote_url: str, code: str) -> str:
    """An inline SVG QR code opening the voting page with the code in the fragment (never sent to the server).

    Drawn by segno on the server: the slips page loads nothing from outside and needs no script.
    """
    qr = segno.make(f"{vote_url}#code={code}", error="m")
    return mark_safe(qr.svg_inline(scale=3, border=2, omitsize=True))


def staff_ballot(request: AuthedRequest, pk: int) -> Ballot:
    """A ballot in the user's scope (the voting selector decides), or 404."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    ballot = selectors.ballots_for(request.user).select_related("unit").filter(pk=pk).first()
    if ballot is None:
        raise Http404("投票不存在或无权访问。")
    return ballot


def flash_error(request: HttpRequest, exc: ValidationError) -> None:
    """Show every message of a service error at the top of the next page."""
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def ballot_list(request: AuthedRequest) -> HttpResponse:
    """Ballots in the user's scope, newest first, one page at a time."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    page, query = page_of(request, selectors.ballots_for(request.user).select_related("unit").order_by("-id"))
    return render(
        request,
        "web/voting/ballot_list.html",
        {"page": page, "query": query, "can_create": has_cap(request.user, Cap.BALLOT_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_create(request: AuthedRequest) -> HttpResponse:
    """Create a ballot in draft for a unit in the user's scope."""
    require_cap(request.user, Cap.REGISTRY_EDIT)
    units = registry_selectors.unit_choices(user=request.user)
    form = BallotForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.ballot_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                unit=data["unit"],
                channel=data["channel"],
                max_choices=data["max_choices"],
                threshold=data["threshold"] or "",
                approval_floor=data["approval_floor"] or "",
                expected_voters=data["expected_voters"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新建投票「{ballot.title}」。")
            return redirect("web:ballot-detail", pk=ballot.pk)
    return render(request, "web/voting/ballot_form.html", {"form": form})


@login_required
@require_GET
def ballot_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One ballot: settings, items, and the forms and buttons its status allows."""
    ballot = staff_ballot(request, pk)
    is_draft = ballot.status == BallotStatus.DRAFT
    committee = ballot.kind == BallotKind.COMMITTEE
    mass = not committee and ballot.channel == Channel.ELECTRONIC
    manages = has_cap(request.user, Cap.BALLOT_MANAGE)
    items = list(ballot.items.select_related("cadre", "post", "post__unit"))
    roster = selectors.ballot_roster(ballot=ballot) if committee else []
    on_roster = any(v.user_id == request.user.pk for v in roster)
    before_tally = ballot.status in (BallotStatus.DRAFT, BallotStatus.OPEN, BallotStatus.CLOSED)
    # How recused members count: the county's value on the day the vote is (or was) held.
    held_on = timezone.localdate(ballot.opened_at) if ballot.opened_at else timezone.localdate()
    recusal = policy_value(RECUSAL_KEY, held_on)
    return render(
        request,
        "web/voting/ballot_detail.html",
        {
            "ballot": ballot,
            "items": items,
            "manages": manages,
            "item_form": ItemForm(prefix="item") if is_draft and manages else None,
            "roster": roster,
            "on_roster": on_roster,
            "member_form": (
                MemberAddForm(
                    prefix="member",
                    candidates=selectors.committee_member_candidates().exclude(
                        pk__in=[v.user_id for v in roster]
                    ),
                )
                if committee and is_draft and manages
                else None
            ),
            "roster_editable": manages and ballot.status in (BallotStatus.DRAFT, BallotStatus.OPEN),
            "attendance_form": (
                MeetingAttendanceForm(
                    prefix="meeting",
                    initial={"expected": ballot.expected_voters, "present": ballot.present_voters},
                )
                if not committee and manages and before_tally
                else None
            ),
            "paper_open": ballot.channel == Channel.PAPER and ballot.status == BallotStatus.CLOSED,
            "credential_form": (
                CredentialIssueForm(prefix="cred")
                if mass and ballot.status in (BallotStatus.DRAFT, BallotStatus.OPEN)
                else None
            ),
            "vote_url": public_url(request, reverse("web:vote-ballot", args=[ballot.pk])),
            "show_results": ballot.status in selectors.RESULT_STATUSES,
            "key_form": BallotKeyForm(prefix="key")
            if is_draft and ballot.channel == Channel.ELECTRONIC
            else None,
            "sealed": selectors.ballot_sealed_count(ballot=ballot),
            "needs_shares": bool(ballot.public_key),
            "purge_pending": selectors.ballot_purge_pending(ballot=ballot),
            "recusal_counted": recusal.value == 1,
            "recusal_label": recusal.key.label,
            "recusal_shown": display_value(recusal.key, recusal.text),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an item to a draft ballot (errors show on this page; nothing is written)."""
    ballot = staff_ballot(request, pk)
    form = ItemForm(request.POST or None, prefix="item")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cadre = post = None
            if data["cadre"]:
                try:
                    cadre = registry_selectors.cadre_get_for_user(user=request.user, cadre_id=data["cadre"])
                except Http404:
                    raise ValidationError({"cadre": ["干部不存在或不在您的管理范围内。"]}) from None
            if data["post"]:
                try:
                    post = registry_selectors.post_get_for_user(user=request.user, post_id=data["post"])
                except Http404:
                    raise ValidationError({"post": ["职位不存在或不在您的管理范围内。"]}) from None
            services.ballot_item_add(
                actor=request.user,
                ballot=ballot,
                label=data["label"],
                cadre=cadre,
                post=post,
                action=data["action"],
                reference=form.reference_list(),
                posts=data["posts"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已添加事项。")
            return redirect("web:ballot-detail", pk=ballot.pk)
    return render(request, "web/voting/item_form.html", {"form": form, "ballot": ballot})


def key_slips(request: AuthedRequest, ballot: Ballot, shares: list[str]) -> HttpResponse:
    """The 监票人's key-share slips, shown this once (the shares are stored nowhere)."""
    ballot.refresh_from_db()
    return render(
        request,
        "web/voting/key_slips.html",
        {"ballot": ballot, "slips": [{"n": n, "share": share} for n, share in enumerate(shares, 1)]},
    )


def _key_settings(request: AuthedRequest) -> dict[str, int] | None:
    """The key split posted with the open button (defaults when absent); None and messages if invalid."""
    form = BallotKeyForm(request.POST, prefix="key")
    if not any(name.startswith("key-") for name in request.POST):
        return {}
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return None
    return {
        "key_holders": form.cleaned_data["key_holders"],
        "key_threshold": form.cleaned_data["key_threshold"],
    }


@never_cache
@login_required
@require_POST
def ballot_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Open, close, tally, publish or renew the key: one button, one service; errors show as messages.

    Opening an electronic ballot (and renewing its key) shows the key-share slips to print; the
    count of a sealed ballot goes through the share-entry page (``ballot_count``).
    """
    ballot = staff_ballot(request, pk)
    if action == "purge":
        return _purge(request, ballot)
    if action in ("open", "key"):
        settings = _key_settings(request)
        if settings is None:
            return redirect("web:ballot-detail", pk=ballot.pk)
        service = services.ballot_open if action == "open" else services.ballot_key_renew
        try:
            shares = service(actor=request.user, ballot=ballot, **settings)
        except ValidationError as exc:
            flash_error(request, exc)
            return redirect("web:ballot-detail", pk=ballot.pk)
        if shares:
            return key_slips(request, ballot, shares)
        messages.success(request, "投票已开始。")
        return redirect("web:ballot-detail", pk=ballot.pk)
    if action == "tally" and ballot.public_key:
        return redirect("web:ballot-count", pk=ballot.pk)
    if action not in ACTIONS:
        raise Http404("页面不存在。")
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, done)
    return redirect("web:ballot-detail", pk=ballot.pk)


def _purge(request: AuthedRequest, ballot: Ballot) -> HttpResponse:
    """Vacuum the voting tables again and say whether it was verified clean."""
    try:
        outcome = services.ballot_purge(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        if outcome is None or outcome.ok:
            messages.success(request, MSG_PURGED)
        else:
            messages.warning(request, MSG_NOT_PURGED)
    return redirect("web:ballot-detail", pk=ballot.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ballot_count(request: AuthedRequest, pk: int) -> HttpResponse:
    """计票: the 监票人 type their key shares together; the sealed sheets are opened and counted.

    The shares live only in this request: the key is rebuilt in memory by the service, the form
    is never echoed back after a count, and the page is not cached.
    """
    ballot = staff_ballot(request, pk)
    if not ballot.public_key or ballot.status != BallotStatus.CLOSED:
        return redirect("web:ballot-detail", pk=ballot.pk)
    form = KeySharesForm(request.POST or None, holders=ballot.key_holders)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_tally(actor=request.user, ballot=ballot, key_shares=form.shares())
        except ValidationError as exc:
            add_service_error(form, exc)
            # Never send the shares back in the page: each 监票人 types theirs again.
            form = _without_values(form, ballot)
        else:
            messages.success(request, "计票完成。请各监票人销毁密钥份额纸条。")
            if selectors.ballot_purge_pending(ballot=ballot):
                messages.warning(request, MSG_NOT_PURGED)
            return redirect("web:ballot-results", pk=ballot.pk)
    return render(
        request,
        "web/voting/count.html",
        {"ballot": ballot, "form": form, "sealed": selectors.ballot_sealed_count(ballot=ballot)},
    )


def _without_values(form: KeySharesForm, ballot: Ballot) -> KeySharesForm:
    """The refused form again, bound to empty boxes but carrying its errors: the shares are not echoed."""
    empty = KeySharesForm({}, holders=ballot.key_holders)
    empty.is_valid()
    for field, errors in form.errors.items():
        empty.add_error(None if field == "__all__" else field, errors)
    return empty


@login_required
@require_GET
def ballot_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issued and used counts only: nothing about what was voted is shown while a ballot runs."""
    ballot = staff_ballot(request, pk)
    progress = selectors.ballot_progress(user=request.user, ballot_id=ballot.pk)
    return render(request, "web/voting/progress.html", {"ballot": ballot, "progress": progress})


@never_cache
@login_required
@require_POST
def credentials_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issue N codes for one category and show them once, as printable slips (never stored in clear)."""
    ballot = staff_ballot(request, pk)
    form = CredentialIssueForm(request.POST, prefix="cred")
    if form.is_valid():
        try:
            codes = services.credentials_issue(
                actor=request.user,
                ballot=ballot,
                category=form.cleaned_data["category"],
                count=form.cleaned_data["count"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            vote_url = public_url(request, reverse("web:vote-ballot", args=[ballot.pk]))
            return render(
                request,
                "web/voting/slips.html",
                {
                    "ballot": ballot,
                    "codes": codes,
                    "slips": [{"code": code, "qr": slip_qr(vote_url, code)} for code in codes],
                    "category": form.cleaned_data["category"],
                    "vote_url": public_url(request, reverse("web:vote-ballot", args=[ballot.pk])),
                },
            )
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("web:ballot-detail", pk=ballot.pk)


@login_required
@require_GET
def ballot_results(request: AuthedRequest, pk: int) -> HttpResponse | FileResponse:
    """Per-item results after the count, with each rule's reason and citation (404 before).

    ``?export=xlsx``: the same figures as a spreadsheet (aggregates only, as on the page).
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    ballot, results = selectors.ballot_results(user=request.user, ballot_id=pk)
    rows = []
    for result in results:
        data = result.data
        grades = [
            {
                "label": label,
                "count": data.get("counts", {}).get(value, 0),
                "share": _percent(data.get("shares", {}).get(value, "0")),
            }
            for value, label in GRADES
        ]
        by_category = {
            category: counts if counts.get("suppressed") else {LABELS.get(k, k): v for k, v in counts.items()}
            for category, counts in data.get("by_category", {}).items()
        }
        rows.append({"label": result.label, "data": data, "grades": grades, "by_category": by_category})
    if wants_xlsx(request):
        return _export_results(ballot, rows)
    # A committee vote's results say how recused members were counted (the county's convention).
    recusal = None
    if ballot.kind == BallotKind.COMMITTEE and results:
        text, source = convention_of(results[0].data)
        recusal = {"text": text, "source": source}
    return render(request, "web/voting/results.html", {"ballot": ballot, "rows": rows, "recusal": recusal})


def _result_lines(kind: str, row: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The figures of one item's result as the results page shows them: (统计项, 数值, 比例, 说明).

    Only the aggregate counts the page shows; categories too small to show (``suppressed``) stay
    hidden, so the file cannot tell more about who voted how than the page does.
    """
    data = row["data"]
    lines: list[tuple[Any, ...]] = []
    if data.get("void"):
        lines.append(("本事项投票无效", None, None, ""))
    if kind == BallotKind.EVALUATION and data.get("total") is not None:
        flags = []
        if data.get("incompetent_flag"):
            flags.append("不称职票超过阈值")
        if data.get("approval_flag"):
            flags.append(f"“优秀+称职”不足下限 {data.get('approval_floor')}")
        lines.append(("有效票", data["total"], None, ""))
        lines += [(g["label"], g["count"], g["share"], "") for g in row["grades"]]
        lines.append(("不称职票比例", None, data.get("incompetent_share"), "；".join(flags)))
    elif kind == BallotKind.RECOMMENDATION and data.get("total_sheets") is not None:
        lines.append(("收回票", data["total_sheets"], None, ""))
        lines.append(("有效票", data.get("valid_sheets"), None, ""))
        lines.append(("无效票", data.get("invalid_sheets"), None, ""))
        lines += [(f"得票：{name}", votes, None, "") for name, votes in data.get("ranking", [])]
    elif kind == BallotKind.COMMITTEE and data.get("members") is not None:
        for label, key in (("应到", "members"), ("实到", "present"), ("回避", "recused")):
            lines.append((label, data.get(key), None, ""))
        for label, key in (("同意", "agree"), ("不同意", "disagree"), ("缓议", "defer")):
            lines.append((label, data.get(key), None, ""))
        lines.append(("结果", None, None, "通过" if data.get("passed") else "未通过"))
    for category, counts in row["by_category"].items():
        if counts.get("suppressed"):
            lines.append((f"分类统计：{category}", None, None, "票数过少，不单独显示"))
        else:
            text = "，".join(f"{k} {v}" for k, v in counts.items())
            lines.append((f"分类统计：{category}", None, None, text))
    return lines


def _export_results(ballot: Ballot, rows: list[dict[str, Any]]) -> FileResponse:
    """The counted results page as a spreadsheet: one line per figure of each item."""
    header = ["事项", "统计项", "票数", "比例", "说明"]
    lines = [(row["label"], *line) for row in rows for line in _result_lines(ballot.kind, row)]
    today = timezone.localdate()
    notes = f"「{ballot.title}」计票结果（{ballot.get_status_display()}）　导出日期：{today:%Y年%m月%d日}"
    if ballot.kind == BallotKind.COMMITTEE and rows:
        notes += f"　回避的计算：{convention_of(rows[0]['data'])[0]}"
    return stream_table(title="计票结果", header=header, rows=lines, notes=notes, on=today)


@login_required
@require_GET
def ballot_results_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The 计票结果报告单 as .docx or .pdf, for those who may see the results (404 otherwise)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    if fmt not in CONTENT_TYPES:
        raise Http404("页面不存在。")
    ballot, results = selectors.ballot_results(user=request.user, ballot_id=pk)
    return document_response(result_sheet(ballot, results), fmt, f"计票结果报告单-{ballot.pk}")


# ---------------------------------------------------------------- public pages (no login)


@never_cache
@require_GET
def vote_start(request: HttpRequest) -> HttpResponse:
    """Ask for the ballot number printed on the slip, then go to that ballot's page."""
    form = BallotNumberForm(request.GET or None)
    if form.is_valid():
        return redirect("web:vote-ballot", pk=form.cleaned_data["ballot"])
    return render(request, "web/voting/vote_start.html", {"form": form})


def _content_from_post(request: HttpRequest, ballot: Ballot, items: list[Any]) -> dict[str, Any]:
    """The sheet content the service expects, read from the posted radios, boxes and write-ins."""
    content: dict[str, Any] = {}
    for item in items:
        key = f"item-{item.pk}"
        if ballot.kind == BallotKind.EVALUATION:
            grade = request.POST.get(key)
            if grade:
                content[str(item.pk)] = {"grade": grade}
        else:
            chosen = [c for c in request.POST.getlist(key) if c in item.reference]
            raw = request.POST.get(f"{key}-writein", "").replace("，", ",").replace("、", ",")
            chosen += [name.strip() for name in raw.split(",") if name.strip() and name.strip() not in chosen]
            content[str(item.pk)] = {"choices": chosen}
    return content


@never_cache
@require_http_methods(["GET", "POST"])
def vote_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The voter's page: the code plus every item; a valid cast shows the receipt, once."""
    ballot = selectors.ballot_get_for_casting(ballot_id=pk)
    if ballot is None:
        return render(request, "web/voting/vote_closed.html", status=404)
    items = list(ballot.items.order_by("sort_order", "id"))
    errors: list[str] = []
    used = False
    posted: dict[str, list[str]] = {}
    if request.method == "POST":
        code = request.POST.get("code", "")
        posted = {k: request.POST.getlist(k) for k in request.POST if k.startswith("item-")}
        if not code.strip():
            errors.append("请输入投票码。")
        else:
            try:
                receipt = services.ballot_cast_with_credential(
                    code=code, ballot=ballot, content=_content_from_post(request, ballot, items)
                )
            except services.CredentialUsedError:
                used = True
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                return render(request, "web/voting/vote_done.html", {"ballot": ballot, "receipt": receipt})
    rows = [
        {
            "item": item,
            "name": f"item-{item.pk}",
            "picked": posted.get(f"item-{item.pk}", []),
            "writein": (posted.get(f"item-{item.pk}-writein") or [""])[0],
        }
        for item in items
    ]
    return render(
        request,
        "web/voting/vote_ballot.html",
        {
            "ballot": ballot,
            "rows": rows,
            "grades": GRADES,
            "errors": errors,
            "used": used,
            "used_message": MSG_CODE_USED,
            "code": request.POST.get("code", "") if errors else "",
        },
        status=409 if used else (400 if errors else 200),
    )


@require_GET
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """The published receipt list (public by design: a receipt says nothing about its holder)."""
    ballot = selectors.ballot_get_published(ballot_id=pk)
    codes = selectors.ballot_receipts(ballot_id=pk)
    return render(request, "web/voting/receipts.html", {"ballot": ballot, "codes": codes})
