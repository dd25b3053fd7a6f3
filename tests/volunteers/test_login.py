"""SMS one-time codes: they expire, they are rate-limited, and a number we do not know gets the
same answer as one we do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from volunteers import services
from volunteers.errors import CodeExpired, LoginRateLimited, TooManyAttempts, WrongCode
from volunteers.models import LoginCode

from .conftest import NOW, make_volunteer, sent_to, vphone

pytestmark = pytest.mark.django_db


def code_sent_to(phone) -> str:
    body = sent_to(phone, "volunteer_login_code")[-1]
    return "".join(ch for ch in body.split(" er ")[1] if ch.isdigit())[:6]


@pytest.fixture
def anna(home):
    from tests.factories import make_organisation

    return make_volunteer(make_organisation(), vphone(1), "Anna")


def test_a_code_logs_in_once(anna):
    services.request_login_code(phone="20 12 00 01", ip="1.2.3.4", now=NOW)
    code = code_sent_to(anna.phone)
    assert LoginCode.objects.get().code_hash != code  # only a hash is stored
    assert services.verify_login_code(phone=anna.phone, code=code, now=NOW) == anna
    with pytest.raises(WrongCode):
        services.verify_login_code(phone=anna.phone, code=code, now=NOW)


def test_codes_expire(anna):
    services.request_login_code(phone=anna.phone, now=NOW)
    code = code_sent_to(anna.phone)
    with pytest.raises(CodeExpired) as caught:
        services.verify_login_code(phone=anna.phone, code=code, now=NOW + timedelta(minutes=11))
    with translation.override("en"):
        assert "expired" in str(caught.value.message)


def test_wrong_codes_are_limited(anna):
    services.request_login_code(phone=anna.phone, now=NOW)
    code = code_sent_to(anna.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        with pytest.raises(WrongCode):
            services.verify_login_code(phone=anna.phone, code=wrong, now=NOW)
    with pytest.raises(TooManyAttempts):
        services.verify_login_code(phone=anna.phone, code=wrong, now=NOW)
    # Even the right code is refused now: ask for a new one.
    with pytest.raises(TooManyAttempts):
        services.verify_login_code(phone=anna.phone, code=code, now=NOW)


def test_code_requests_are_rate_limited_per_phone_and_per_ip(anna):
    for n in range(3):
        services.request_login_code(phone=anna.phone, ip=f"10.0.0.{n}", now=NOW)
    with pytest.raises(LoginRateLimited):
        services.request_login_code(phone=anna.phone, ip="10.0.0.9", now=NOW)
    assert len(sent_to(anna.phone, "volunteer_login_code")) == 3
    # One address trying many numbers.
    for n in range(10):
        services.request_login_code(phone=vphone(100 + n), ip="10.9.9.9", now=NOW)
    with pytest.raises(LoginRateLimited):
        services.request_login_code(phone=vphone(200), ip="10.9.9.9", now=NOW)


def test_unknown_numbers_are_limited_like_known_ones(anna):
    for _ in range(3):
        services.request_login_code(phone=vphone(55), now=NOW)
    with pytest.raises(LoginRateLimited):
        services.request_login_code(phone=vphone(55), now=NOW)
    assert sent_to(vphone(55)) == []  # nobody texts a stranger


def _login_page_text(client, phone):
    response = client.post(
        reverse("volunteers:login"), {"phone": phone}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.status_code == 200
    content = response.content.decode()
    # Only the CSRF token differs between two renderings.
    return response.redirect_chain, content.split("</main>")[0].split('<main id="main-content"')[
        1
    ].split("csrfmiddlewaretoken")[0]


def test_unknown_phone_gets_the_same_answer_as_a_known_one(anna, client):
    known = _login_page_text(client, anna.phone)
    client.cookies.clear()
    unknown = _login_page_text(client, vphone(77))
    assert known == unknown
    assert "If the number belongs to a volunteer" in known[1]
    assert len(sent_to(anna.phone)) == 1 and sent_to(vphone(77)) == []


def test_login_through_the_portal(anna, client):
    client.post(reverse("volunteers:login"), {"phone": anna.phone})
    code = code_sent_to(anna.phone)
    response = client.post(
        reverse("volunteers:login_code"), {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    if code != "000000":
        assert "not right" in response.content.decode()
    response = client.post(reverse("volunteers:login_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:home")
    assert client.get(reverse("volunteers:home")).status_code == 200
    client.post(reverse("volunteers:logout"))
    assert client.get(reverse("volunteers:home")).status_code == 302


def test_expired_code_in_the_portal_says_so(anna, client):
    from django.utils import timezone

    client.post(reverse("volunteers:login"), {"phone": anna.phone})
    code = code_sent_to(anna.phone)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(
        reverse("volunteers:login_code"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "expired" in response.content.decode()


def test_password_login(anna, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("anna", password="a-long-password-1")
    anna.user = user
    anna.save()
    response = client.post(
        reverse("volunteers:login_password"),
        {"phone": anna.phone, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "not right" in response.content.decode()
    response = client.post(
        reverse("volunteers:login_password"),
        {"phone": vphone(77), "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "not right" in response.content.decode()
    response = client.post(
        reverse("volunteers:login_password"),
        {"phone": anna.phone, "password": "a-long-password-1"},
    )
    assert response.status_code == 302


def test_a_volunteer_can_choose_a_password(anna, client):
    from volunteers.views import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = anna.pk
    session.save()
    url = reverse("volunteers:set_password")
    response = client.post(
        url, {"password1": "kort", "password2": "kort"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "too short" in response.content.decode()
    client.post(url, {"password1": "kaffe og kage 42", "password2": "kaffe og kage 42"})
    anna.refresh_from_db()
    assert anna.user is not None and anna.user.check_password("kaffe og kage 42")
    assert not anna.user.is_staff
    client.post(reverse("volunteers:logout"))
    response = client.post(
        reverse("volunteers:login_password"),
        {"phone": "20 12 00 01", "password": "kaffe og kage 42"},
    )
    assert response.status_code == 302
