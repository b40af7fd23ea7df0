"""Error pages in Chinese; never a stack trace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the page does not exist or is outside the user's scope (the two look the same)."""
    return render(
        request,
        "web/error.html",
        {"title": "页面不存在", "message": "页面不存在，或不在您的管理范围内。"},
        status=404,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the request was refused (CSRF failure or a forbidden action)."""
    return render(
        request, "web/error.html", {"title": "无权操作", "message": "您无权执行此操作。"}, status=403
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500: something went wrong; the details are in the server log, not on the page."""
    return render(
        request,
        "web/error.html",
        {"title": "系统错误", "message": "系统出现错误，已记录日志。请稍后重试或联系管理员。"},
        status=500,
    )
