"""Every kind of notification, in words a person chooses emails by."""

from __future__ import annotations

from .models import ReminderKind

STEP_KINDS = {
    "referral_received": "A new referral for your service",
    "referral_declined": "A referral you sent was declined",
    "costing_proposed": "A costing waits for your approval",
    "costing_rejected": "A costing you proposed was rejected",
    "costing_approved": "A costing you proposed was approved",
    "assessment_scheduled": "An assessment was booked for you",
    "assessment_submitted": "An assessment and plan wait for authorisation",
    "treatment_authorised": "Treatment was authorised",
    "treatment_declined": "Treatment was declined",
    "progress_report_submitted": "A progress report came in",
    "review_requested": "A review was requested",
    "review_completed": "A review was completed",
    "case_on_hold": "A case went on hold",
    "case_resumed": "A case resumed",
    "discharged": "A client was discharged",
    "case_withdrawn": "A case was withdrawn",
}

KINDS: dict[str, str] = {**STEP_KINDS, **dict(ReminderKind.choices)}
