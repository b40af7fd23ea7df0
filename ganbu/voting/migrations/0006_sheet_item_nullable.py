"""A sheet's item becomes optional, so migration 0007 can merge a cast's per-item rows into one (issue 13)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0005_sheet_receipt_not_indexed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sheet",
            name="item",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sheets",
                to="voting.ballotitem",
                verbose_name="事项",
            ),
        ),
    ]
