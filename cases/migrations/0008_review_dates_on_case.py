"""Each case keeps the review date of its plan in force and the earliest review date of its
open risks, filled here from the records (cases.services.review_dates_refresh keeps them
afterwards), with an index per person for My work."""

from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CarePlan = apps.get_model("careplans", "CarePlan")
    Risk = apps.get_model("cases", "Risk")
    plan = (CarePlan.objects.filter(case=models.OuterRef("pk"), status="authorised")
            .order_by("-version").values("review_date")[:1])
    risk = (Risk.objects.filter(case=models.OuterRef("pk"), is_open=True,
                                review_date__isnull=False)
            .order_by("review_date").values("review_date")[:1])
    Case.objects.update(next_plan_review=models.Subquery(plan),
                        next_risk_review=models.Subquery(risk))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_session_epoch'),
        ('cases', '0007_report_due_per_person_indexes'),
        ('careplans', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='next_plan_review',
            field=models.DateField(blank=True, editable=False, help_text='The review date of the plan in force.', null=True),
        ),
        migrations.AddField(
            model_name='case',
            name='next_risk_review',
            field=models.DateField(blank=True, editable=False, help_text='The earliest review date of an open risk.', null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state', 'in_treatment')), fields=['case_manager', 'next_plan_review', 'id'], name='case_cm_plan_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state', 'in_treatment')), fields=['provider', 'next_plan_review', 'id'], name='case_prov_plan_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state', 'in_treatment')), fields=['physiotherapist', 'next_plan_review', 'id'], name='case_physio_plan_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['draft', 'referred', 'declined', 'costing_proposed', 'costing_approved', 'assessment_scheduled', 'assessed', 'in_treatment', 'under_review', 'on_hold', 'discharged'])), fields=['case_manager', 'next_risk_review', 'id'], name='case_cm_risk_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['draft', 'referred', 'declined', 'costing_proposed', 'costing_approved', 'assessment_scheduled', 'assessed', 'in_treatment', 'under_review', 'on_hold', 'discharged'])), fields=['provider', 'next_risk_review', 'id'], name='case_prov_risk_review_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ['draft', 'referred', 'declined', 'costing_proposed', 'costing_approved', 'assessment_scheduled', 'assessed', 'in_treatment', 'under_review', 'on_hold', 'discharged'])), fields=['physiotherapist', 'next_risk_review', 'id'], name='case_physio_risk_review_idx'),
        ),
    ]
