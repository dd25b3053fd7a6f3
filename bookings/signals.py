"""Publishing or unpublishing a session page re-plans its dates in the background, after the
publish has committed (the worker must see the new revision). Publishing a hotspot re-plans its
sessions too, since a closure there removes their dates."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from hotspots.models import HotspotPage, SessionPage


def _enqueue(session_id: int) -> None:
    from .tasks import materialise_session_task

    transaction.on_commit(lambda: materialise_session_task.enqueue(session_id))


@receiver(page_published, sender=SessionPage)
def materialise_on_publish(sender, instance, **kwargs):
    _enqueue(instance.pk)


@receiver(page_unpublished, sender=SessionPage)
def materialise_on_unpublish(sender, instance, **kwargs):
    _enqueue(instance.pk)


@receiver(page_published, sender=HotspotPage)
def materialise_sessions_on_hotspot_publish(sender, instance, **kwargs):
    for session_id in SessionPage.objects.child_of(instance).live().values_list("pk", flat=True):
        _enqueue(session_id)
