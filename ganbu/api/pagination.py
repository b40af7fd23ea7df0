"""Cursor pagination of every API list, done in the database (decision 0014, ``ganbu.core.keyset``).

``?limit=`` rows (at most 200) after ``?cursor=``; the answer holds ``items``, the links ``next``
and ``previous`` (absolute URLs, null at either end) and ``count``, the total counted once on the
first page and capped (``count_capped``: there are more than ``count``). Following ``next``
costs one query per page however deep: walking every cadre is linear, not quadratic.

``?offset=`` is still read for clients written against the limit/offset API; it is deprecated
(an OFFSET reads and throws away every row in front of the page) and the pages it returns carry
cursors for the rest of the walk.

The cursor is bound to the request (path, query parameters, user) rather than to the compiled SQL
(``keyset.paginate(identity=…)``), and the page's items are written to JSON by ``LeanRows`` instead
of one pydantic validation per row (``paginated``): both were most of a page's cost (decision 0014).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import json
import operator
import types
import typing
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.operation import Operation
from ninja.pagination import PaginationBase
from ninja.pagination import paginate as ninja_paginate
from ninja.responses import NinjaJSONEncoder
from ninja.utils import contribute_operation_callback
from pydantic.fields import FieldInfo

from ganbu.core import keyset

MAX_LIMIT = 200
# Offsets beyond any real table keep the SQL OFFSET inside a 64-bit integer on every backend.
MAX_OFFSET = 2**53
MSG_BAD_CURSOR = "分页游标无效或已失效（数据筛选条件变了，或游标被改动）：请去掉 cursor 从第一页重新取。"


class Page(PaginationBase):
    """``?cursor=&limit=`` → ``{"items", "count", "count_capped", "next", "previous"}``."""

    class Input(Schema):
        """The page wanted."""

        cursor: str | None = Field(
            None,
            max_length=keyset.MAX_CURSOR_LENGTH,
            description="上一页响应中 next 或 previous 链接里的游标；取第一页时不填",
        )
        limit: int = Field(
            getattr(settings, "GANBU_PAGE_SIZE", 50), ge=1, le=MAX_LIMIT, description="每页条数（最多 200）"
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_OFFSET,
            description="（已弃用，请改用 cursor）跳过的条数；越往后越慢",
            json_schema_extra={"deprecated": True},
        )

    class Output(Schema):
        """One page and the links to its neighbours."""

        items: list[Any]
        count: int = Field(description="总条数（第一页时统计）；count_capped 为 true 时表示“超过这么多条”")
        count_capped: bool = Field(description="总数超过统计上限，count 只是下限")
        next: str | None = Field(description="下一页的链接；已是最后一页时为 null")
        previous: str | None = Field(description="上一页的链接；已是第一页时为 null")

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        """The page of ``queryset`` the cursor (or the deprecated offset) points at."""
        try:
            page = keyset.paginate(
                queryset,
                size=pagination.limit,
                cursor=pagination.cursor or None,
                offset=pagination.offset or None,
                identity=_identity(request),
            )
        except keyset.InvalidCursor:
            raise ValidationError(
                [{"loc": ("query", "cursor"), "type": "value_error", "ctx": {"error": MSG_BAD_CURSOR}}]
            ) from None
        return {
            "items": page.object_list,
            "count": page.total,
            "count_capped": page.total_capped,
            "next": _link(request, page.next_cursor),
            "previous": _link(request, page.previous_cursor),
        }


def _identity(request: HttpRequest) -> str:
    """What an API list is built from: the operation (path), its filters (the query parameters
    other than the paging ones) and the user whose scope it is. A cursor fits only this."""
    query = request.GET.copy()
    for name in ("cursor", "limit", "offset"):
        query.pop(name, None)
    user = getattr(request, "auth", None)
    return f"{request.path}|{getattr(user, 'pk', None)}|{sorted(query.lists())!r}"


def _link(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's URL with ``cursor`` in place of the paging it came with (filters kept)."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


# ---------------------------------------------------------------- lean serialization of the items


class NotLean(Exception):
    """A schema, or a value, the lean writer does not reproduce exactly: pydantic does it instead."""


# The field types written as they come, each with the exact Python types its values must have
# (``bool`` is not an ``int`` here, a ``datetime`` is not a ``date``): for such values pydantic's
# validation returns the value unchanged, and the JSON encoder is the same, so the bytes are.
_PLAIN = frozenset({str, int, bool, float, dt.date, dt.datetime})
_MISSING = object()


class LeanRows:
    """Writes model rows as a ninja ``Schema`` would, without validating each row through pydantic.

    Built once per schema from its fields: a resolver (``resolve_<name>``, given ``context`` if it
    asks) or the attribute of that name; a nested schema (``Ref``) from the object or dict the
    row holds. Only schemas made of plain fields (``str``, ``int``, ``bool``, ``float``, dates and
    datetimes, optionally ``None``) and nested such schemas qualify; others raise ``NotLean`` and
    stay on pydantic. Every value is checked for its exact type as it is written, and a value of
    another type (an enum just assigned, a ``Decimal``, a callable) raises ``NotLean`` too, so the
    caller serializes that page the ordinary way: the output is pydantic's or nothing.

    Plain required attributes, most of a row, are read together (``attrgetter``) and their types
    compared as one tuple; the other fields are written one by one in their places.
    """

    def __init__(self, schema: type[Schema]) -> None:
        _refuse_custom(schema)
        self.schema = schema
        self.names = tuple(schema.model_fields)
        plain: list[tuple[str, type, bool]] = []
        self.others: list[tuple[int, Callable[[Any, Any], Any]]] = []
        for index, (name, info) in enumerate(schema.model_fields.items()):
            annotation, nullable = _strip_none(info.annotation)
            if name not in schema._ninja_resolvers and info.is_required() and annotation in _PLAIN:
                plain.append((name, annotation, nullable))
            else:
                self.others.append((index, _field_writer(schema, name, info)))
        self.plain = plain
        names = [name for name, _, _ in plain]
        self.types = tuple(kind for _, kind, _ in plain)
        self.get_attrs = _getter(operator.attrgetter, names)
        self.get_keys = _getter(operator.itemgetter, names)

    def row(self, obj: Any, context: Any) -> dict[str, Any]:
        """One row as the JSON-ready dict pydantic's ``model_dump`` would give."""
        try:
            values = list(self.get_keys(obj) if isinstance(obj, dict) else self.get_attrs(obj))
        except (AttributeError, KeyError) as exc:
            raise NotLean(f"{self.schema.__name__}: {exc}") from None
        if tuple(map(type, values)) != self.types:
            self._check(values)
        for index, write in self.others:
            values.insert(index, write(obj, context))
        return dict(zip(self.names, values, strict=True))

    def rows(self, objs: list[Any], context: Any) -> list[dict[str, Any]]:
        """Every row; ``NotLean`` if any value is not one the lean writer reproduces exactly."""
        row = self.row
        return [row(obj, context) for obj in objs]

    def _check(self, values: list[Any]) -> None:
        """The slow look at a row whose types differ from the declared ones: NULLs are fine."""
        for value, (name, kind, nullable) in zip(values, self.plain, strict=True):
            if type(value) is not kind and not (value is None and nullable):
                raise NotLean(f"{self.schema.__name__}.{name}: {type(value).__name__}")


def _getter(kind: Any, names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """``attrgetter``/``itemgetter`` of ``names`` that always returns a tuple (one name: of one)."""
    if not names:
        return lambda obj: ()
    get = kind(*names)
    if len(names) == 1:
        return lambda obj: (get(obj),)
    return get  # type: ignore[no-any-return]


def _refuse_custom(schema: type[Schema]) -> None:
    """``NotLean`` for a schema with its own validators, serializers, computed fields or aliases."""
    decorators = schema.__pydantic_decorators__
    own = [
        decorators.validators,
        decorators.field_validators,
        decorators.root_validators,
        decorators.field_serializers,
        decorators.model_serializers,
        decorators.computed_fields,
    ]
    if any(own) or set(decorators.model_validators) - {"_run_root_validator"}:
        raise NotLean(f"{schema.__name__}: custom validation or serialization")
    if schema.model_config.get("extra") == "forbid" or schema.model_config.get("validate_assignment"):
        raise NotLean(f"{schema.__name__}: model_config")
    for name, info in schema.model_fields.items():
        if info.alias or info.validation_alias or info.serialization_alias or info.exclude:
            raise NotLean(f"{schema.__name__}.{name}: alias or exclude")


def _field_writer(schema: type[Schema], name: str, info: FieldInfo) -> Callable[[Any, Any], Any]:
    """The function writing one field of a row: reading it, then checking or nesting it."""
    annotation, nullable = _strip_none(info.annotation)
    read = _reader(schema, name, info)
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        nested = LeanRows(annotation)

        def write_nested(obj: Any, context: Any) -> Any:
            value = read(obj, context)
            if value is None and nullable:
                return None
            if not isinstance(value, Model | dict):
                raise NotLean(f"{schema.__name__}.{name}: {type(value).__name__}")
            return nested.row(value, context)

        return write_nested
    if annotation not in _PLAIN:
        raise NotLean(f"{schema.__name__}.{name}: {annotation!r}")

    def write_plain(obj: Any, context: Any) -> Any:
        value = read(obj, context)
        if type(value) is annotation or (value is None and nullable):
            return value
        raise NotLean(f"{schema.__name__}.{name}: {type(value).__name__}")

    return write_plain


def _strip_none(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` → ``(X, True)``; ``X`` → ``(X, False)``; other unions are left as they are."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _reader(schema: type[Schema], name: str, info: FieldInfo) -> Callable[[Any, Any], Any]:
    """How ninja's ``DjangoGetter`` reads a field: its resolver, else the key or attribute."""
    if name in schema._ninja_resolvers:
        function = getattr(schema, f"resolve_{name}")
        if not inspect.isfunction(function):
            raise NotLean(f"{schema.__name__}.resolve_{name}: not a static method")
        parameters = inspect.signature(function).parameters
        if "context" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            return lambda obj, context: function(obj, context=context)
        return lambda obj, context: function(obj)
    default = _MISSING if info.is_required() else info.get_default(call_default_factory=True)

    def read(obj: Any, context: Any) -> Any:
        value = obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)
        if value is _MISSING:
            raise NotLean(f"{schema.__name__}.{name}: missing")
        return value

    return read


def paginated(func: Callable[..., Any]) -> Callable[..., Any]:
    """``@paginate(Page)`` whose items are written by ``LeanRows`` when the item schema allows.

    The operation's declared response (``Paged<Item>``, hence the OpenAPI document) is ninja's;
    only the writing of a page differs: the rows go to JSON through the lean writer and the same
    encoder ninja uses, and the answer is returned as the response, so ninja does not validate it
    again. A schema the writer cannot reproduce (``NotLean``) is served by ninja as before, and so is
    a page holding a value of an unexpected type.
    """
    view = ninja_paginate(Page)(func)
    lean: dict[str, LeanRows | None] = {"rows": None}

    @functools.wraps(view)
    def view_with_lean_items(request: HttpRequest, **kwargs: Any) -> Any:
        result = view(request, **kwargs)
        writer = lean["rows"]
        if writer is None or not isinstance(result, dict):
            return result
        context = {"request": request, "response_status": 200}
        try:
            items = writer.rows(result["items"], context)
        except NotLean:
            return result
        return HttpResponse(
            json.dumps({**result, "items": items}, cls=NinjaJSONEncoder),
            content_type="application/json; charset=utf-8",
        )

    def learn(operation: Operation) -> None:
        """Build the writer from the item schema ninja declared (``response=list[Item]``)."""
        lean["rows"] = lean_rows_for(operation)

    contribute_operation_callback(view_with_lean_items, learn)
    view_with_lean_items._lean_items = True  # type: ignore[attr-defined]
    return view_with_lean_items


def lean_rows_for(operation: Operation) -> LeanRows | None:
    """The lean writer of a paginated operation's items, or None if its schema does not qualify."""
    response = operation.response_models.get(200)
    try:
        paged = response.model_fields["response"].annotation  # type: ignore[union-attr]
        (item,) = typing.get_args(paged.model_fields["items"].annotation)
        return LeanRows(item)
    except (NotLean, AttributeError, KeyError, TypeError, ValueError):
        return None
