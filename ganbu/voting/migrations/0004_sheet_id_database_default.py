"""On PostgreSQL the opened sheets' keys are drawn by the database: ``gen_random_uuid()`` as default.

Why (issue 13): the count writes every opened sheet with one ``COPY … FROM STDIN``, which cannot
call a function, so the random primary key comes from the column's default — drawn by
PostgreSQL's strong random source, like ``uuid4``. The model keeps ``default=uuid.uuid4`` for
rows the ORM writes; Django does not track database defaults it did not declare, so this is
invisible to ``makemigrations``. SQLite (development only) keeps no default: there the count
inserts keys drawn in Python.
"""

from django.db import migrations


def _set_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE voting_sheet ALTER COLUMN id SET DEFAULT gen_random_uuid()")


def _drop_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE voting_sheet ALTER COLUMN id DROP DEFAULT")


class Migration(migrations.Migration):
    dependencies = [("voting", "0003_sealed_sheets")]

    operations = [migrations.RunPython(_set_default, _drop_default, elidable=False)]
