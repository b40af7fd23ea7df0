"""Every audit event type the services write has a Chinese label on the audit page."""

from __future__ import annotations

import re
from pathlib import Path

from ganbu.web.views.audit import EVENT_LABELS

# Keyword arguments, plus event types chosen from tables (user enable/disable, the voting app).
_EVENT = re.compile(r'event(?:_type)?="([a-z_]+\.[a-z_]+)"|"(user\.(?:enabled|disabled)|voting\.[a-z_]+)"')


def test_every_event_type_written_by_a_service_has_a_label() -> None:
    root = Path(__file__).resolve().parents[2]
    written: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in _EVENT.finditer(path.read_text(encoding="utf-8")):
            written.add(match.group(1) or match.group(2))
    assert {
        "cadre.updated",
        "document.issued",
        "user.created",
        "user.disabled",
        "voting.ballot_closed",
    } <= written
    missing = sorted(written - EVENT_LABELS.keys())
    assert missing == [], f"审计页缺少事件类型的中文名称：{missing}"
