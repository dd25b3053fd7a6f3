"""Crisis mode's periodic job: an action whose period is over ends on its own and sends the
all-clear (crisis.services.end_finished_actions). Idempotent: an ended action is not ended or
announced twice."""

from config.periodic import periodic_job


@periodic_job("crisis_end")
def end_finished_crisis_actions(now) -> str:
    from .services import end_finished_actions

    return f"{end_finished_actions(now=now)} crisis actions ended"
