"""Writes for the SMS channel: the outbox, delivery with retries, status callbacks, opt-outs,
inbound messages through the dialog, and reminders.

The outbox row is written in the caller's transaction and handed to a worker only when that
transaction commits; the worker claims the row (queued -> sending) before calling the provider,
so a task that runs twice sends once, and a periodic job re-enqueues anything a dead worker or a
lost enqueue left behind."""

from .access_log import record_phone_history_access, wipe_old_access_phones
from .inbound import (
    mark_conversation_handled,
    process_inbound_message,
    receive_inbound,
    simulate_inbound,
)
from .outbox import (
    PURPOSE_STOP_CONFIRMATION,
    deliver_message,
    enqueue_queued_sends,
    get_backend,
    is_opted_out,
    queue_sms,
    record_delivery_status,
    record_opt_out,
    remove_opt_out,
    requeue_due_messages,
    retry_delay,
    simulating,
    status_callback_url,
)
from .practice import delete_practice_data
from .reminders import reminder_times, send_due_reminders
from .retention import purge_old_messages
from .world import DatabaseWorld

__all__ = [
    "delete_practice_data",
    "record_phone_history_access",
    "wipe_old_access_phones",
    "PURPOSE_STOP_CONFIRMATION",
    "DatabaseWorld",
    "deliver_message",
    "enqueue_queued_sends",
    "get_backend",
    "is_opted_out",
    "mark_conversation_handled",
    "process_inbound_message",
    "purge_old_messages",
    "queue_sms",
    "receive_inbound",
    "record_delivery_status",
    "record_opt_out",
    "reminder_times",
    "remove_opt_out",
    "requeue_due_messages",
    "retry_delay",
    "send_due_reminders",
    "simulate_inbound",
    "simulating",
    "status_callback_url",
]
