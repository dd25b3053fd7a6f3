"""Middleware of the ops app: the operational endpoints, and one log line per request."""

import logging
import time

from django.http import HttpResponseNotAllowed

from .scrubbing import redacted_path

logger = logging.getLogger("digihjaelp.requests")

# Answered before host validation and the https redirect: load balancers and Prometheus
# address each node by its own address, often over plain http on the internal network.
OPERATIONAL_PATHS = ("/healthz", "/readyz", "/metrics")


def _operational_view(path: str):
    from . import health, metrics

    return {
        "/healthz": health.liveness,
        "/readyz": health.readiness,
        "/metrics": metrics.metrics_view,
    }.get(path)


class OperationalEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = _operational_view(request.path) if request.path in OPERATIONAL_PATHS else None
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)


class RequestLogMiddleware:
    """One line per request: method, path, status, duration. No query string, no client
    address, no user: nothing that says who asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = getattr(request, "resolver_match", None)
        path = redacted_path(request.path, match) if match else redacted_path(request.path)
        logger.log(
            logging.WARNING if response.status_code >= 500 else logging.INFO,
            "%s %s %s %s ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "event": "request",
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "view": match.view_name if match else None,
            },
        )
        return response
