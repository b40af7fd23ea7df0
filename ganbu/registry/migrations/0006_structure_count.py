"""The team-structure summary (``StructureCount``) and the triggers on ``registry_cadre`` keeping it.

The triggers' SQL lives in ``ganbu.registry.structure`` (one definition for this migration, the
``post_migrate`` hook that recreates them after a SQLite table rebuild, and the tests); the rows
for the cadres already there are computed once here. Decision: docs/decisions/0015-structure-summary.md.
"""

import django.db.models.deletion
from django.db import migrations, models


def forward(apps, schema_editor) -> None:
    from ganbu.registry import structure

    # The per-unit variant of that time: 0009 replaces it with subtree totals.
    structure.install(schema_editor.connection, structure.UNIT)
    structure.rebuild(schema_editor.connection, structure.UNIT)


def backward(apps, schema_editor) -> None:
    from ganbu.registry import structure

    structure.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_cadre_rank_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="StructureCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("management_authority", models.CharField(max_length=20, verbose_name="干部管理权限")),
                ("dimension", models.CharField(max_length=12, verbose_name="维度")),
                ("key", models.CharField(blank=True, max_length=20, verbose_name="取值")),
                ("n", models.IntegerField(default=0, verbose_name="人数")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "干部队伍结构计数",
                "verbose_name_plural": "干部队伍结构计数",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "management_authority", "dimension", "key"),
                        name="structure_count_key",
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
