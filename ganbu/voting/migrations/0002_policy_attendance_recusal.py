"""Ballot thresholds from county policy, meeting attendance, and recusals with their reasons.

The roster's recusals move from an implicit many-to-many table to ``Recusal`` (which records why a
member is recused and whether the kinship check found it). Django cannot add ``through=`` to an
existing many-to-many field, so the rows are copied across and the field is re-created.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_recusals(apps, schema_editor):
    """Keep every recusal entered before this migration, as a manual one."""
    Voter = apps.get_model("voting", "Voter")
    Recusal = apps.get_model("voting", "Recusal")
    through = Voter.recused_items.through
    Recusal.objects.bulk_create(
        [Recusal(voter_id=row.voter_id, item_id=row.ballotitem_id, reason="") for row in through.objects.all()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="approval_floor",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="优秀+称职票比例下限"),
        ),
        migrations.AddField(
            model_name="ballot",
            name="expected_voters",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="应到人数"),
        ),
        migrations.AddField(
            model_name="ballot",
            name="present_voters",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="实到人数"),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="threshold",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="不称职票比例阈值"),
        ),
        migrations.CreateModel(
            name="Recusal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="回避理由")),
                ("automatic", models.BooleanField(default=False, verbose_name="系统自动判定")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recusals",
                        to="voting.ballotitem",
                        verbose_name="事项",
                    ),
                ),
                (
                    "voter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recusals",
                        to="voting.voter",
                        verbose_name="成员",
                    ),
                ),
            ],
            options={
                "verbose_name": "回避",
                "verbose_name_plural": "回避",
                "constraints": [models.UniqueConstraint(fields=("voter", "item"), name="voting_recusal_once")],
            },
        ),
        migrations.RunPython(copy_recusals, migrations.RunPython.noop),
        migrations.RemoveField(model_name="voter", name="recused_items"),
        migrations.AddField(
            model_name="voter",
            name="recused_items",
            field=models.ManyToManyField(
                blank=True,
                related_name="recused_voters",
                through="voting.Recusal",
                to="voting.ballotitem",
                verbose_name="回避事项",
            ),
        ),
    ]
