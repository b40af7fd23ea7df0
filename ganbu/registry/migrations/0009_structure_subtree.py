"""The structure summary holds subtree totals: each cadre counted in its unit and every ancestor.

The dashboard then reads one unit's rows (the user's scope unit, or the top-level units) instead
of summing the rows of every unit in scope (127 ms at 500,000 cadres and 40,000 units). The
triggers' SQL lives in ``ganbu.registry.structure``; this migration swaps the per-unit triggers of
0006 for the subtree ones (adding the trigger on ``registry_unit`` that follows a unit moved in
the tree) and recomputes the rows, and going back does the reverse. Decision:
docs/decisions/0015-structure-summary.md.
"""

from django.db import migrations


def forward(apps, schema_editor) -> None:
    from ganbu.registry import structure

    structure.install(schema_editor.connection, structure.TREE)
    structure.rebuild(schema_editor.connection, structure.TREE)


def backward(apps, schema_editor) -> None:
    from ganbu.registry import structure

    structure.install(schema_editor.connection, structure.UNIT)
    structure.rebuild(schema_editor.connection, structure.UNIT)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_cadre_updated_sort"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
