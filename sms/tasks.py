"""Background work for the SMS channel. Tasks take ids, not objects, and are safe to run twice:
the outbox row's status decides whether there is anything left to do."""

from django.tasks import task


@task()
def send_message(message_id: int) -> str:
    from .services import deliver_message

    return deliver_message(message_id=message_id)


@task()
def process_inbound(message_id: int) -> str:
    from .services import process_inbound_message

    return process_inbound_message(message_id=message_id) or ""


@task(queue_name="bulk")
def dispatch_bulk(purpose: str) -> int:
    from .services.bulk import dispatch_queued

    return dispatch_queued(purpose=purpose)
