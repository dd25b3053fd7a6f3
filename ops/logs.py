"""Log formats. Production writes one JSON object per line (LOG_FORMAT=json) for a log
shipper; development writes short text lines. Both pass through the personal-data scrubber, so a
phone number or an e-mail address in an error message never reaches the log."""

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .scrubbing import scrub

# Django attaches the request (whose repr holds the full path with query string and tokens)
# to django.request and django.server records; never serialise it.
_NEVER_LOGGED = ["request", "server_time"]


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, *_NEVER_LOGGED],
            timestamp=True,
        )

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class TextFormatter(logging.Formatter):
    def __init__(self, *args, **kwargs):
        super().__init__("{levelname} {name}: {message}", style="{")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
