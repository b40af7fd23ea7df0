"""Name search served by an index on PostgreSQL (issue 13; how and why: ganbu.registry.search).

``Cadre.name_search`` is a stored generated column (each character of the name tripled on
PostgreSQL, a plain copy on SQLite). On PostgreSQL this migration also enables pg_trgm
(``TrigramExtensionOnPostgres``: nothing on other databases, either way) and builds the GIN index on the
column. The index is raw SQL run only on PostgreSQL, and deliberately absent from the model's
``Meta.indexes``: a ``GinIndex`` there would be created on SQLite too, where ``USING gin`` fails.
``makemigrations`` therefore never sees it, and ``cadre_name_search_trgm`` is its only definition.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import ganbu.registry.search

INDEX = "cadre_name_search_trgm"


class TrigramExtensionOnPostgres(TrigramExtension):
    """``TrigramExtension``, undone only on PostgreSQL: Django 5.2 skips other databases going
    forwards but not backwards, where it asks SQLite for ``pg_extension``."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_cadre USING gin (name_search gin_trgm_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_structure_count"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.AddField(
            model_name="cadre",
            name="name_search",
            field=models.GeneratedField(
                db_persist=True,
                expression=ganbu.registry.search.Tripled("name"),
                output_field=models.CharField(max_length=150),
                verbose_name="姓名检索",
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
