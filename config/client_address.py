"""The client's address, for rate limits and login lockouts: one answer for the whole site.

Any client can send an `X-Forwarded-For` header, so its left-most entry says nothing. Each
reverse proxy in front of the app appends the address that connected to it, so only the last
TRUSTED_PROXY_COUNT entries were written by machines we trust, and the client is the left-most
of those. django-ipware does the parsing (IPv6, ports, malformed entries); this module only tells
it how many proxies there are. With no proxy (TRUSTED_PROXY_COUNT = 0) the header is ignored and
the address is the one the connection came from.
"""

from django.conf import settings
from ipware import get_client_ip

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


def client_address(request) -> str | None:
    """None when there is no address at all (a request made up in code, as Django's test
    client's force_login does): axes stores addresses in an inet column on PostgreSQL."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR") or None
    # ipware counts the proxies *listed* in the header: the nearest proxy is REMOTE_ADDR and
    # appended the client's address itself, so with N proxies the header ends in N - 1 of them.
    # Not strict: a client that adds entries of its own only lengthens the untrusted left part.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=[FORWARDED_HEADER, "REMOTE_ADDR"],
        strict=False,
    )
    return address or request.META.get("REMOTE_ADDR") or None
