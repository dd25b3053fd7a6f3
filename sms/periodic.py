from datetime import timedelta

from config.periodic import periodic_job

from . import services


# Runs every minute (deploy/systemd/digihjaelp-outbox.timer): a run killed mid-job must not
# hold the job for the default half hour.
@periodic_job("sms_outbox", lease=timedelta(minutes=2))
def requeue_outbox(now) -> str:
    result = services.requeue_due_messages(now=now)
    return ", ".join(f"{key} {value}" for key, value in result.items())


@periodic_job("sms_reminders")
def send_reminders(now) -> str:
    return f"queued {services.send_due_reminders(now=now)} reminders"


@periodic_job("practice_cleanup")
def delete_practice_data(now) -> str:
    """What the SMS simulator and practice numbers left behind (bookings.phones)."""
    result = services.delete_practice_data(now=now)
    return ", ".join(f"{key}={value}" for key, value in result.items())


@periodic_job("sms_access_log")
def wipe_access_log_phones(now) -> str:
    return f"wiped {services.wipe_old_access_phones(now=now)} phones from the access log"


@periodic_job("sms_purge")
def purge_messages(now) -> str:
    return f"wiped {services.purge_old_messages(now=now)} old texts"
