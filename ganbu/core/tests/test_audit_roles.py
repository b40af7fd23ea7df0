"""The least-privileged application role of docs/deploy.md, run on PostgreSQL.

The grants are read from the deploy guide itself (the block marked ``-- ganbu: grants``), so the
guide cannot drift from what is tested. The roles are created inside the test's transaction and
vanish with its rollback (CREATE ROLE is transactional in PostgreSQL).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from ganbu.core.audit import audit_record, audit_verify
from ganbu.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles and grants are PostgreSQL's"
    ),
]

APP = "ganbu_test_app_role"
GUIDE = Path(settings.BASE_DIR) / "docs" / "deploy.md"


def guide_block(marker: str) -> str:
    """The ```sql block of the deploy guide whose first line is ``-- ganbu: <marker>``."""
    for block in re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S):
        if block.startswith(f"-- ganbu: {marker}"):
            return str(block)
    raise AssertionError(f"docs/deploy.md has no sql block '-- ganbu: {marker}'")


def as_app(sql: str) -> None:
    """Run ``sql`` as the application role, inside a savepoint (so a refusal does not end the test)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP}")
        cursor.execute(sql)  # a refusal rolls the savepoint back, the role with it
        cursor.execute("RESET ROLE")


def privilege(kind: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'core_auditevent', %s)", [APP, kind])
        return bool(cursor.fetchone()[0])


@pytest.fixture
def app_role(tree):
    """The guide's ``ganbu`` role (under a test name) with exactly the guide's grants."""
    grants = re.sub(r"\bganbu\b", APP, guide_block("grants"))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP}")
        cursor.execute(grants)
    return APP


def test_the_application_works_as_the_app_role_and_writes_audit_events(app_role, tree, officer) -> None:
    from ganbu.registry import services

    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP}")
    try:
        services.unit_update(actor=officer, unit=tree.finance, data={"name": "县财政局（新）"}, reason="更名")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(event_type="unit.updated").count() == 1
    assert audit_verify().ok


def test_the_app_role_may_only_insert_and_read_audit_events(app_role) -> None:
    assert privilege("SELECT") and privilege("INSERT")
    for kind in ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
        assert not privilege(kind), kind


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET reason = 'x'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
        "TRUNCATE registry_cadre CASCADE",
        "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
        f"GRANT UPDATE, DELETE ON core_auditevent TO {APP}",
        "CREATE TABLE core_auditevent_copy (id int)",
    ],
)
def test_the_app_role_is_refused(app_role, statement) -> None:
    with transaction.atomic():
        audit_record(actor=None, event_type="unit.updated", target=app_role_target())
    with contextlib.suppress(DatabaseError):
        as_app(statement)
    # Refused with an error, or (GRANT without a grant option) with a warning and nothing granted.
    assert not privilege("UPDATE") and not privilege("DELETE")
    assert AuditEvent.objects.count() == 1 and audit_verify().ok
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass"
            " AND NOT tgisinternal AND tgenabled = 'O'"
        )
        assert cursor.fetchone()[0] == 2
        cursor.execute("SELECT to_regclass('core_auditevent_copy')")
        assert cursor.fetchone()[0] is None


def app_role_target():
    from ganbu.registry.models import Unit

    return Unit.objects.order_by("pk").first()
