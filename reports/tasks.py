from __future__ import annotations

from celery import shared_task

from cases.models import Case


@shared_task(acks_late=True, time_limit=120, soft_time_limit=90, max_retries=2)
def render_report_task(case_id: int, kind: str, source_id: int) -> int:
    """Render and store one report; a second run of the same stores nothing new."""
    from .services import report_render

    case = Case.objects.select_related("client", "provider").get(pk=case_id)
    return report_render(case=case, kind=kind, source_id=source_id).pk
