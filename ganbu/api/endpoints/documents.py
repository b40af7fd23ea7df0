"""Appointment/removal documents (任免文件) and their items."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.registry import selectors, services
from ganbu.registry.services import ItemInput

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID, DocumentDetailOut, DocumentIn, DocumentOut

router = Router(tags=["任免文件"])

MSG_CADRE_NOT_VISIBLE = "干部不存在或不在您的管理范围内。"
MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"


@router.get("/documents", response=list[DocumentOut], summary="任免文件列表", operation_id="document_list")
@paginated
def document_list(request: HttpRequest) -> Any:
    """Documents with at least one item about a cadre the user may see, newest first."""
    return selectors.document_list(user=actor(request))


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **READ_ERRORS},
    summary="任免文件详情（含任免事项）",
    operation_id="document_get",
)
def document_get(request: HttpRequest, document_id: int = param.Path(..., ge=1, le=MAX_ID)) -> Any:
    """One document with the items about cadres the user may see."""
    user = actor(request)
    document = selectors.document_get_for_user(user=user, document_id=document_id)
    document.visible_items = selectors.document_items_for_user(user=user, document=document)  # type: ignore[attr-defined]
    return document


@router.post(
    "/documents",
    response={201: DocumentDetailOut, **WRITE_ERRORS},
    summary="登记任免文件并执行任免事项",
    operation_id="document_issue",
)
def document_issue(request: HttpRequest, payload: DocumentIn) -> Any:
    """Record a document and apply its items (``services.document_issue``); all or nothing."""
    user = actor(request)
    items = []
    for n, spec in enumerate(payload.items):
        cadre = referenced(
            f"items.{n}.cadre_id",
            MSG_CADRE_NOT_VISIBLE,
            partial(selectors.cadre_get_for_user, user=user, cadre_id=spec.cadre_id),
        )
        post = None
        if spec.post_id is not None:
            post = referenced(
                f"items.{n}.post_id",
                MSG_POST_NOT_VISIBLE,
                partial(selectors.post_get_for_user, user=user, post_id=spec.post_id),
            )
        items.append(
            ItemInput(kind=spec.kind, cadre=cadre, post=post, rank=spec.rank, effective_on=spec.effective_on)
        )
    document = services.document_issue(
        actor=user,
        number=payload.number,
        title=payload.title,
        issued_on=payload.issued_on,
        issuing_body=payload.issuing_body,
        note=payload.note,
        items=items,
    )
    document.visible_items = selectors.document_items_for_user(user=user, document=document)  # type: ignore[attr-defined]
    return Status(201, document)
