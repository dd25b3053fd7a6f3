"""Background work for crisis mode, on the bulk queue (its own workers), so applying 10,000
bookings never delays a reply on the interactive queue. Tasks take ids and are safe to run
twice: a pending action is applied once, and a message the outbox already claimed is not sent
again."""

from django.tasks import task


@task(queue_name="bulk")
def apply_crisis(action_id: int) -> int:
    from .services import apply_crisis_action

    action = apply_crisis_action(action_id=action_id)
    return action.bookings_changed if action else 0


@task(queue_name="bulk")
def dispatch_crisis_sms(action_id: int) -> int:
    from .services import dispatch_crisis_messages

    return dispatch_crisis_messages(action_id=action_id)
