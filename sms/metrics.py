"""The SMS channel's figures for /metrics (ops/metrics.py), registered in apps.py."""

from django.utils import timezone

from ops.metrics import gauge

from . import selectors
from .models import Status

FAILED_STATUSES = {Status.FAILED, Status.UNDELIVERABLE, Status.OPTED_OUT}


class SmsCollector:
    def collect(self):
        by_status = gauge("sms_outgoing_messages", "Outgoing texts by current status.", ["status"])
        failed = gauge(
            "sms_failed_messages",
            "Outgoing texts that failed, by reason: the provider's error code, or the status "
            "when there is none (only grows; use increase()).",
            ["reason"],
        )
        statuses: dict[str, int] = {}
        reasons: dict[str, int] = {}
        for row in selectors.outgoing_message_counts():
            statuses[row["status"]] = statuses.get(row["status"], 0) + row["count"]
            if row["status"] in FAILED_STATUSES:
                reason = row["error_code"] or row["status"]
                reasons[reason] = reasons.get(reason, 0) + row["count"]
        for status, count in sorted(statuses.items()):
            by_status.add_metric([status], count)
        for reason, count in sorted(reasons.items()):
            failed.add_metric([reason], count)
        waiting = gauge(
            "sms_oldest_waiting_seconds",
            "How long the oldest outgoing text still waiting to be sent has waited.",
        )
        waiting.add_metric([], selectors.oldest_waiting_outgoing(now=timezone.now()))
        yield from (by_status, failed, waiting)
