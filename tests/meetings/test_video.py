"""The join page /m/<token>/ and the video providers."""

import os
import subprocess
import sys
from datetime import timedelta

import jwt
import pytest
from django.utils import timezone as tz

from bookings.models import Actor
from meetings import services, video
from meetings.models import VideoRoom
from tests.meetings.conftest import slot_of

pytestmark = pytest.mark.django_db


def _video_booking(world, now, *, index=0, caseworker=None, phone="+4520304050"):
    slot = slot_of(world.service, caseworker or world.anna, now, index)
    return services.book_meeting(
        slot_id=slot.pk, first_name="Karin", phone=phone, mode="video", now=now
    )


def _join_path(booking):
    return services.join_path(services.room_for_booking(booking))


def test_join_page_opens_only_in_its_window(world, now, client):

    booking = _video_booking(world, now)
    path = _join_path(booking)
    start = booking.slot.starts_at
    cases = [
        (start - timedelta(minutes=16), "early", False),
        (start - timedelta(minutes=14), "open", True),
        (booking.slot.ends_at - timedelta(minutes=1), "open", True),
        (booking.slot.ends_at + timedelta(minutes=1), "over", False),
    ]
    for moment, state, lets_in in cases:
        with _frozen(tz, moment):
            page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
            assert page.status_code == 200
            assert page.context["state"] == state
            assert ("meeting-join__go" in page.content.decode()) == lets_in
            go = client.post(path)
            assert go.status_code == 302
            if lets_in:
                assert go["Location"].startswith("https://video.invalid/dh-")
                assert go["Location"].endswith("role=guest")
            else:
                assert go["Location"] == path


class _frozen:
    """Freeze django.utils.timezone.now for the views (simple; no extra dependency)."""

    def __init__(self, tz, moment):
        self.tz, self.moment = tz, moment

    def __enter__(self):
        self.original = self.tz.now
        self.tz.now = lambda: self.moment

    def __exit__(self, *exc):
        self.tz.now = self.original


def test_join_link_is_only_for_its_meeting(world, now, client):
    mine = _video_booking(world, now, index=0)
    theirs = _video_booking(world, now, index=1, phone="+4521212121")
    room_mine = services.room_for_booking(mine)
    room_theirs = services.room_for_booking(theirs)
    assert room_mine.room_id != room_theirs.room_id
    with _frozen(tz, mine.slot.starts_at):
        page = client.get(_join_path(mine))
        assert page.context["room"].pk == room_mine.pk
    assert client.get("/m/not-a-real-token/").status_code == 404
    # The token is not stored, only its hash.
    token = video.join_token_for(room_mine.room_id)
    assert not VideoRoom.objects.filter(join_token_hash=token).exists()
    assert len(token) >= 22


def test_switching_away_from_video_closes_the_page(world, now, client):

    booking = _video_booking(world, now)
    path = _join_path(booking)
    services.switch_meeting_mode(booking=booking, mode="phone", now=now)
    with _frozen(tz, booking.slot.starts_at):
        assert client.get(path).context["state"] == "closed"
        assert client.post(path)["Location"] == path


def test_moved_meeting_moves_its_window(world, now):
    from bookings.services import move_booking

    booking = _video_booking(world, now)
    room = services.room_for_booking(booking)
    later = slot_of(world.service, world.anna, now, 2)
    moved = move_booking(booking=booking, to_slot_id=later.pk, now=now)
    room2 = services.room_for_booking(moved)
    assert room2.pk == room.pk and room2.valid_from == later.starts_at - timedelta(minutes=15)


def test_jitsi_jwt_claims_moderator_only_for_caseworker(world, now, settings, client):
    settings.VIDEO_PROVIDER = "jitsi"
    settings.JITSI_BASE_URL = "https://meet.example.dk"
    settings.JITSI_APP_ID = "digihjaelp"
    settings.JITSI_APP_SECRET = "s3cret-for-tests"
    booking = _video_booking(world, now)
    room = services.room_for_booking(booking)
    citizen_url = services.provider_url(room, moderator=False, display_name="Karin")
    assert citizen_url.startswith(f"https://meet.example.dk/{room.room_id}?jwt=")

    def claims(url):
        token = url.split("jwt=")[1].split("#")[0]
        return jwt.decode(
            token,
            "s3cret-for-tests",
            algorithms=["HS256"],
            audience="jitsi",
            options={"verify_nbf": False, "verify_exp": False},
        )

    guest = claims(citizen_url)
    assert guest["iss"] == "digihjaelp" and guest["sub"] == "meet.example.dk"
    assert guest["room"] == room.room_id
    assert guest["moderator"] is False and guest["context"]["user"]["moderator"] is False
    assert guest["nbf"] == int(room.valid_from.timestamp())
    assert guest["exp"] == int(room.valid_until.timestamp())
    assert "Karin" not in room.room_id

    # The caseworker joins from the admin as moderator; a colleague cannot.
    client.force_login(world.anna)
    response = client.post(f"/admin/meetings/{booking.pk}/join/")
    assert response.status_code == 302
    host = claims(response["Location"])
    assert host["moderator"] is True and host["context"]["user"]["moderator"] is True
    assert host["room"] == room.room_id
    client.force_login(world.bo)
    assert client.post(f"/admin/meetings/{booking.pk}/join/").status_code == 404


def test_external_link_provider_uses_caseworker_link(world, now, settings):
    from meetings.models import CaseworkerProfile

    settings.VIDEO_PROVIDER = "external"
    CaseworkerProfile.objects.filter(user=world.anna).update(
        meeting_url="https://teams.example/anna"
    )
    booking = _video_booking(world, now)
    room = services.room_for_booking(booking)
    assert services.provider_url(room, moderator=False, display_name="K") == (
        "https://teams.example/anna"
    )


def test_production_refuses_jitsi_without_its_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.dk",
        "PUBLIC_BASE_URL": "https://example.dk",
        "VIDEO_PROVIDER": "jitsi",
    }
    for name in ("JITSI_BASE_URL", "JITSI_APP_ID", "JITSI_APP_SECRET", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "JITSI_BASE_URL" in result.stderr


def test_staff_switch_is_not_reported_back_to_the_caseworker(world, now):
    from sms.models import Message

    booking = _video_booking(world, now)
    services.switch_meeting_mode(
        booking=booking, mode="phone", actor=Actor.STAFF, user=world.anna, now=now
    )
    assert not Message.objects.filter(purpose="caseworker_mode_switched").exists()
    assert Message.objects.filter(booking=booking, purpose="booking_mode_switched").exists()


@pytest.mark.usefixtures("one_rate_limit_window")
def test_guessing_join_links_is_limited_but_a_real_link_still_works(world, now, client, settings):
    """Before: POST /m/<token>/ was not limited at all."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup": "3/600"}
    booking = _video_booking(world, now)
    path = _join_path(booking)
    codes = [client.post(f"/m/guess-{n:030d}/").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]
    with _frozen(tz, booking.slot.starts_at):
        assert client.post(path).status_code == 302  # the citizen's own link goes in
        assert client.get(path).status_code == 200
