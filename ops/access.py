"""Who may read the readiness details and the metrics: a caller with the operations token
(`Authorization: Bearer <OPS_TOKEN>`), or one on an internal network (OPS_INTERNAL_NETWORKS).
Neither page holds personal data, but both tell an outsider more than they need to know.
The caller's address is the site's one answer to "who is asking" (config/client_address.py):
behind nginx it is the address nginx saw, not nginx's own loopback address, and not what the
client wrote in X-Forwarded-For. The nginx site in deploy/ also refuses both from outside."""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.crypto import constant_time_compare

from config.client_address import client_address


@cache
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def has_ops_token(request) -> bool:
    token = settings.OPS_TOKEN
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and constant_time_compare(supplied, token)


def is_internal(request) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request) or "")
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.OPS_INTERNAL_NETWORKS)))


def ops_access_allowed(request) -> bool:
    return has_ops_token(request) or is_internal(request)


def forbidden() -> HttpResponseForbidden:
    return HttpResponseForbidden(
        "Forbidden: send Authorization: Bearer <OPS_TOKEN>, or ask from an internal address.\n",
        content_type="text/plain; charset=utf-8",
    )
