"""Login lockouts (django-axes): wrong passwords are counted per account and address together,
on the staff login and on the volunteer portal, and an administrator can unlock.

Before: the staff login accepted 100 wrong passwords in a row."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.volunteers.conftest import make_volunteer, vphone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"
ADDRESS = "198.51.100.20"


@pytest.fixture
def staff(home):
    return get_user_model().objects.create_superuser("karen", password=PASSWORD)


def staff_login(client, password, username="karen", **extra):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=extra.pop("address", ADDRESS),
        **extra,
    )


def test_the_staff_login_pauses_after_five_wrong_passwords(client, settings, staff):
    codes = [staff_login(client, f"guess-{n}").status_code for n in range(20)]
    assert codes[:4] == [200] * 4 and set(codes[4:]) == {429}
    # Even the right password is refused now, with a kind word on the same login page.
    refused = staff_login(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(30 * 60)
    page = refused.content.decode()
    assert "logging in is paused for 30 minutes" in page and 'name="password"' in page
    assert "_auth_user_id" not in client.session
    danish = staff_login(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "login sat på pause i 30 minutter" in danish


def test_the_lockout_is_for_that_account_from_that_address_only(client, staff):
    get_user_model().objects.create_superuser("ole", password=PASSWORD)
    for n in range(5):
        staff_login(client, f"guess-{n}")
    assert staff_login(client, PASSWORD).status_code == 429
    # A colleague on the same Wi-Fi, and Karen herself at home, are not locked out.
    assert staff_login(Client(), PASSWORD, username="ole").status_code == 302
    assert staff_login(Client(), PASSWORD, address="203.0.113.9").status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_reset_the_count(client, settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        staff_login(client, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, {ADDRESS}")
    again = staff_login(client, PASSWORD, HTTP_X_FORWARDED_FOR=f"9.9.9.9, {ADDRESS}")
    assert again.status_code == 429


def test_an_administrator_unlocks_with_a_management_command(client, staff):
    for n in range(5):
        staff_login(client, f"guess-{n}")
    assert staff_login(client, PASSWORD).status_code == 429
    call_command("axes_reset_username", "karen")
    assert staff_login(client, PASSWORD).status_code == 302


def test_the_volunteer_password_login_is_locked_out_too(client, home):
    from tests.factories import make_organisation

    anna = make_volunteer(make_organisation(), vphone(1), "Anna")
    anna.user = get_user_model().objects.create_user("anna", password=PASSWORD)
    anna.save()
    url = reverse("volunteers:login_password")

    def attempt(phone, password, client=client):
        return client.post(url, {"phone": phone, "password": password}, HTTP_ACCEPT_LANGUAGE="en")

    # The number as she types it and in E.164 count as one account.
    codes = [attempt("20 12 00 01" if n % 2 else anna.phone, "wrong").status_code for n in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]
    refused = attempt(anna.phone, PASSWORD)
    assert refused.status_code == 429 and "logging in is paused" in refused.content.decode()
    # Another volunteer on the same address logs in as usual.
    bo = make_volunteer(anna.organisations.first(), vphone(2), "Bo")
    bo.user = get_user_model().objects.create_user("bo", password=PASSWORD)
    bo.save()
    assert attempt(bo.phone, PASSWORD, client=Client()).status_code == 302
    call_command("axes_reset_username", anna.phone)
    assert attempt(anna.phone, PASSWORD).status_code == 302
