from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import OrganisationPage


@receiver(post_save, sender=OrganisationPage)
def provision_new_organisation(sender, instance, created, raw=False, **kwargs):
    # Only a page in the tree can carry page permissions; loaddata (raw) brings its own rows.
    if raw or not instance.path:
        return
    from .tenancy import provision_organisation

    provision_organisation(instance)
