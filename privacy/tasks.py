"""The scheduled erasure of clients whose retention period has passed. Takes no arguments:
it finds the clients itself, so nothing about a client travels through the broker."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(time_limit=3600, soft_time_limit=3500)
def anonymise_due_clients() -> int:
    from .services import client_anonymise, clients_due_for_anonymisation

    done = 0
    for client in clients_due_for_anonymisation():
        client_anonymise(client=client, by="scheduler: anonymise_due_clients")
        done += 1
    logger.info("Anonymised %s clients past their retention period", done)
    return done
