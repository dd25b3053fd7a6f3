"""Publishing or unpublishing a meeting service re-plans its meeting times after the commit."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import MeetingServicePage


def _replan(service_id: int) -> None:
    def run():
        from .materialise import materialise_service

        service = MeetingServicePage.objects.filter(pk=service_id).first()
        if service is not None:
            materialise_service(service)

    transaction.on_commit(run)


@receiver(page_published, sender=MeetingServicePage)
def replan_on_publish(sender, instance, **kwargs):
    _replan(instance.pk)


@receiver(page_unpublished, sender=MeetingServicePage)
def replan_on_unpublish(sender, instance, **kwargs):
    _replan(instance.pk)
