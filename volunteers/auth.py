"""Volunteers' password login as a Django authentication backend.

The portal keeps its own session key (views.SESSION_KEY) rather than Django's login, but the
password check goes through django.contrib.auth.authenticate() with this backend, so django-axes
sees every attempt: it refuses a phone number and address pair after too many wrong passwords,
exactly as on the staff login."""

from django.contrib.auth.backends import BaseBackend

from . import services
from .errors import WrongPassword

# The credential name authenticate() is called with; config.login_protection reads it to key
# lockouts by phone number.
PHONE_CREDENTIAL = "volunteer_phone"


class VolunteerPasswordBackend(BaseBackend):
    def authenticate(self, request, volunteer_phone=None, password=None, **kwargs):
        if volunteer_phone is None:
            return None
        try:
            volunteer = services.login_with_password(phone=volunteer_phone, password=password)
        except WrongPassword:
            return None
        return volunteer.user  # its reverse accessor `user.volunteer` is already cached
