"""Middleware of the ops app: one log line per request."""

import logging
import time

from .scrubbing import redacted_path

logger = logging.getLogger("digihjaelp.requests")


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
