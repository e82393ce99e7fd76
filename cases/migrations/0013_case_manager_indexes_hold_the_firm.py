"""A case manager's indexes hold the firm after the person: My work asks for the firm's cases
of the person (case_list_for, then the caseload), and its query is now planned once per
connection for every case manager alike. That plan, made without knowing whose firm, took
the firm's index as well as the person's (a BitmapAnd), which reads every case of the firm in
a state; with both columns in one index it reads the person's rows alone."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_session_epoch'),
        ('cases', '0012_date_of_birth_in_a_lifetime'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_cm_state_activity_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_cm_report_due_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_cm_plan_review_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_cm_risk_review_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['case_manager', 'firm', 'state', '-updated_at', '-id'], name='case_cm_state_activity_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['in_treatment', 'under_review'])), fields=['case_manager', 'firm', 'next_report_due', 'id'], name='case_cm_report_due_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state', 'in_treatment')), fields=['case_manager', 'firm', 'next_plan_review', 'id'], name='case_cm_plan_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['closed', 'withdrawn']), _negated=True), fields=['case_manager', 'firm', 'next_risk_review', 'id'], name='case_cm_risk_review_idx'),
        ),
    ]
