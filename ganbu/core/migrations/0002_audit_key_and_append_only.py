"""The audit chain's keyed head, and the database refusing changes to written audit events.

PostgreSQL: a trigger refuses UPDATE and DELETE of any row of ``core_auditevent`` and TRUNCATE of
the table, whoever asks (the owner and a superuser too, unless they first switch the trigger off,
which is DDL the database logs). Django's test runner empties *test* databases (named ``test_…``)
with TRUNCATE between tests, so TRUNCATE is let through there, unless the session sets
``ganbu.audit_guard = 'on'`` (as the tests of the trigger do). A production database is never
named ``test_…`` (docs/deploy.md).

SQLite (development, the demo): a trigger refuses UPDATE. DELETE stays possible because Django's
flush (tests, ``ganbu demo`` starting clean) empties tables with DELETE, and whoever can write the
database file can drop the trigger anyway. A later migration that rebuilds ``core_auditevent`` on
SQLite (Django's ALTER TABLE copies the table) drops this trigger: recreate it there
(``test_the_append_only_trigger_exists`` fails otherwise).
"""

from django.db import migrations, models

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_database() LIKE 'test\_%'
       AND coalesce(current_setting('ganbu.audit_guard', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计事件只能追加：拒绝对 % 执行 %。', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_change();
"""

SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN
    SELECT RAISE(ABORT, '审计事件只能追加：拒绝修改。');
END;
"""

SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def _run(schema_editor, statements: dict[str, str]) -> None:
    sql = statements.get(schema_editor.connection.vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD})


def backward(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="keyed_from",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
