"""Count the budget of every existing case once; from now on the services keep it."""

from django.db import migrations

FILL = """
INSERT INTO referrals_casebudget (case_id, sessions_authorised, sessions_delivered, updated_at)
SELECT c.id,
       COALESCE((SELECT SUM(l.quantity) FROM referrals_costingline l
                 JOIN referrals_costing co ON co.id = l.costing_id
                 WHERE co.case_id = c.id AND co.status = 'approved'
                   AND co.purpose = 'treatment' AND l.kind = 'treatment_session'), 0),
       (SELECT COUNT(*) FROM assessments_appointment a
        WHERE a.case_id = c.id AND a.kind = 'treatment' AND a.outcome = 'attended'),
       CURRENT_TIMESTAMP
FROM cases_case c
WHERE NOT EXISTS (SELECT 1 FROM referrals_casebudget b WHERE b.case_id = c.id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_casebudget"),
        ("assessments", "0002_appointment_no_overlap"),
    ]
    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
