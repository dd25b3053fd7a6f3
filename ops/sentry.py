"""Optional error reports to Sentry (or GlitchTip, which speaks its protocol), with personal
data left out: no request bodies, cookies, headers or query strings, no user, no local
variables, secret path parts replaced, phone numbers and e-mail addresses scrubbed from every
text that remains (exception messages, log breadcrumbs)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .scrubbing import redacted_path, scrub

# What of the request may go: enough to find the view, nothing about who asked.
_KEPT_REQUEST_KEYS = {"method", "url"}


def _scrub_strings(value):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrub_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_strings(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send (and before_send_transaction)."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in _KEPT_REQUEST_KEYS if key in request}
        if "url" in kept:
            parts = urlsplit(kept["url"])
            kept["url"] = f"{parts.scheme}://{parts.netloc}{redacted_path(parts.path)}"
        event["request"] = kept
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    if "transaction" in event and event["transaction"].startswith("/"):
        event["transaction"] = redacted_path(event["transaction"])
    return _scrub_strings(event)


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float = 0.0, **options):
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set, but sentry-sdk is not installed: install the 'sentry' extra "
            "(uv sync --extra sentry, or pip install '.[sentry]')."
        ) from error
    return sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # send_default_pii stays unset, which is False (sentry-sdk 2.75 deprecates setting it
        # in favour of data_collection): no user, cookies or bodies, and the SDK's own
        # EventScrubber on top of ours.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        traces_sample_rate=traces_sample_rate,
        **options,
    )
