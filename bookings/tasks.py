"""Background work of the booking engine (django.tasks; the database backend's db_worker runs
it in production, the immediate backend in tests)."""

from django.tasks import task


@task
def materialise_session_task(session_id: int) -> dict:
    from hotspots.models import SessionPage

    from .materialise import materialise_session

    session = SessionPage.objects.filter(pk=session_id).first()
    if session is None:
        return {}
    return materialise_session(session)
