"""The import job moved to the ``jobs`` app (issue 12): removed from the campaigns' state only.

The table ``campaigns_importjob`` and its rows are kept; ``jobs.0001_initial`` takes the model over.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0005_importjob_worker"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
