"""A sheet no longer names an item: its content is keyed by item (migration 0007; issue 13)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0007_sheet_content_by_item"),
    ]

    operations = [
        migrations.RemoveField(model_name="sheet", name="item"),
    ]
