"""The client's real address, the one place that decides it: the audit trail, the access
log and the login lockout all key on it.

Behind no proxy (the default) it is the connection's own address, and a forwarding header
sent by the client changes nothing. Behind N proxies that each append to
X-Forwarded-For (CASEWORK_TRUSTED_PROXIES=N), it is the address the outermost of our own
proxies saw: the N-th from the right. Anything further left was written by the client.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", {})
    proxies = settings.CASEWORK_TRUSTED_PROXIES
    address = meta.get("REMOTE_ADDR")
    if proxies > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return _valid(address)


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None
