from django.conf import settings


def site_contact(request) -> dict:
    return {"SMS_PUBLIC_NUMBER": settings.SMS_PUBLIC_NUMBER}
