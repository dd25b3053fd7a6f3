from config.periodic import periodic_job

from . import services


@periodic_job("sms_outbox")
def requeue_outbox(now) -> str:
    result = services.requeue_due_messages(now=now)
    return ", ".join(f"{key} {value}" for key, value in result.items())


@periodic_job("sms_reminders")
def send_reminders(now) -> str:
    return f"queued {services.send_due_reminders(now=now)} reminders"


@periodic_job("sms_purge")
def purge_messages(now) -> str:
    return f"wiped {services.purge_old_messages(now=now)} old texts"
