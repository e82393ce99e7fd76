"""A case's notes are paged newest first by (occurred_at, id), as its timeline is. The index
held the case and the moment only, so PostgreSQL read every note of the moments it reached
and sorted them by id (156 notes read and sorted for a page of 26 of the longest case, 0.25
ms); with the id in the index the page is its first 26 entries, in order (0.05 ms)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_case_manager_indexes_hold_the_firm'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='casenote',
            name='cases_casen_case_id_ba5d95_idx',
        ),
        migrations.AddIndex(
            model_name='casenote',
            index=models.Index(fields=['case', '-occurred_at', '-id'], name='cases_casen_case_id_42c98b_idx'),
        ),
    ]
