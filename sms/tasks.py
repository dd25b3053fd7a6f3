"""Background work for the SMS channel. Tasks take ids, not objects, and are safe to run twice:
the outbox row's status decides whether there is anything left to do. Replies and inbound texts
run on the interactive queue, bulk sends on the bulk queue with the provider's pace (queues.py)."""

from django.tasks import task

from .queues import BULK, INTERACTIVE


@task(queue_name=INTERACTIVE)
def send_message(message_id: int) -> str:
    from .services import deliver_message

    return deliver_message(message_id=message_id)


@task(queue_name=BULK)
def send_bulk_message(message_id: int) -> str:
    from .services import deliver_message

    return deliver_message(message_id=message_id, paced=True)


@task(queue_name=INTERACTIVE)
def process_inbound(message_id: int) -> str:
    from .services import process_inbound_message

    return process_inbound_message(message_id=message_id) or ""


@task(queue_name=BULK)
def dispatch_bulk(purpose: str) -> int:
    from .services.bulk import dispatch_queued

    return dispatch_queued(purpose=purpose)
