"""Crisis mode through the Wagtail admin and the public banner."""

from datetime import timedelta

import pytest
from django.urls import reverse

from crisis.models import CrisisAction

from .conftest import book, slots_of, start_to_video

pytestmark = pytest.mark.django_db

MESSAGE = "Aarhus: vi mødes på video til og med 20.03. Vi sender et link."


@pytest.fixture
def booked(world):
    w = world
    w.booking = book(slots_of(w.session_a, w.day2)[0], "20123401")
    w.booking_b = book(slots_of(w.session_b, w.day2)[0], "20123402")
    return w


def form_data(w, **extra):
    data = {
        "organisation": w.org.pk,
        "scope": [w.hotspot_a.pk],
        "kind": "to_video",
        "first_day": w.day2.isoformat(),
        "last_day": w.day2.isoformat(),
        "message": MESSAGE,
    }
    data.update(extra)
    return data


@pytest.fixture
def freeze(monkeypatch, now):
    """The form clamps the period to now; pin now to the fixtures' Monday."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def test_preview_shows_the_dry_run_and_segments_without_changing_anything(client, booked, freeze):
    client.force_login(booked.coordinator)
    response = client.post(
        reverse("crisis_admin:new"), form_data(booked, preview="1"), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="bookings">1<' in html
    assert 'data-count="phones">1<' in html
    assert "1 SMS segment per citizen" in html
    assert 'name="start"' in html
    assert not CrisisAction.objects.exists()


def test_a_ready_made_text_fills_the_message_box(client, booked, freeze):
    client.force_login(booked.coordinator)
    response = client.post(
        reverse("crisis_admin:new"),
        form_data(booked, message="", template="to_phone", use_template="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Vi kan ikke mødes fysisk" in html
    # The ready-made text names no answers: each citizen's line adds the ones that work.
    assert "TELEFON" not in html.split('name="message"')[1].split("</textarea>")[0]


def test_start_from_the_admin_changes_bookings_texts_and_shows_the_banner(
    client, booked, freeze, sms_outbox, django_capture_on_commit_callbacks
):
    w = booked
    client.force_login(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crisis_admin:new"), form_data(w, start="1"))
    action = CrisisAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("crisis_admin:detail", args=[action.pk])
    assert (action.created_by, action.status, action.bookings_changed) == (
        w.coordinator,
        "active",
        1,
    )
    assert [m.to for m in sms_outbox if m.body.startswith(f"Digihjælp: {MESSAGE}")] == [
        "+4520123401"
    ]
    progress = client.get(reverse("crisis_admin:progress", args=[action.pk])).json()
    assert progress["done"] and progress["percent"] == 100 and progress["sent"] == 1
    detail = client.get(reverse("crisis_admin:detail", args=[action.pk]))
    assert detail.status_code == 200

    client.logout()
    assert MESSAGE in client.get(w.hotspot_a.url).content.decode()
    assert MESSAGE in client.get(w.session_a.url).content.decode()
    assert MESSAGE not in client.get(w.hotspot_b.url).content.decode()
    assert MESSAGE not in client.get(w.other_hotspot.url).content.decode()


def test_ending_early_removes_the_banner(
    client, booked, freeze, django_capture_on_commit_callbacks
):
    w = booked
    client.force_login(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crisis_admin:new"), form_data(w, start="1"))
    action = CrisisAction.objects.get()
    assert MESSAGE in client.get(w.hotspot_a.url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crisis_admin:end", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.ended_by) == ("ended", w.coordinator)
    assert MESSAGE not in client.get(w.hotspot_a.url).content.decode()
    # The End button sent the all-clear: the moved booking is back in person, its citizen told.
    from bookings.models import Booking
    from sms.models import Message

    assert (action.all_clear_texts, action.bookings_restored) == (1, 1)
    assert Booking.objects.get(pk=w.booking.pk).mode == "in_person"
    assert Message.objects.filter(purpose=action.all_clear_purpose, to_number="+4520123401")
    detail = client.get(reverse("crisis_admin:detail", args=[action.pk])).content.decode()
    assert "data-all-clear" in detail


def test_the_banner_goes_when_the_period_is_over(client, booked, monkeypatch, now):
    from django.utils import timezone

    w = booked
    start_to_video(w, starts_at=now, message=MESSAGE)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert MESSAGE in client.get(w.hotspot_b.url).content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=1, seconds=1))
    assert MESSAGE not in client.get(w.hotspot_b.url).content.decode()


def test_nobody_outside_the_organisation_can_see_or_start_an_action(
    client, booked, freeze, django_capture_on_commit_callbacks
):
    w = booked
    client.force_login(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crisis_admin:new"), form_data(w, start="1"))
    action = CrisisAction.objects.get()

    client.force_login(w.other_coordinator)
    for name in ("detail", "progress", "call_list"):
        assert client.get(reverse(f"crisis_admin:{name}", args=[action.pk])).status_code == 404
    assert client.post(reverse("crisis_admin:end", args=[action.pk])).status_code == 404
    index = client.get(reverse("crisis_admin:index")).content.decode()
    assert reverse("crisis_admin:detail", args=[action.pk]) not in index
    # Their form does not offer, and refuses, the other organisation and its places.
    response = client.post(reverse("crisis_admin:new"), form_data(w, start="1"))
    assert response.status_code == 200
    assert CrisisAction.objects.count() == 1
    client.post(
        reverse("crisis_admin:new"),
        form_data(w, organisation=w.other_org.pk, scope=[w.hotspot_a.pk], start="1"),
    )
    assert CrisisAction.objects.count() == 1

    # Editors and caseworkers of the same organisation do not get crisis mode at all.
    client.force_login(w.editor)
    assert client.get(reverse("crisis_admin:index")).status_code == 404
    assert client.get(reverse("crisis_admin:new")).status_code == 404
    assert client.get(reverse("crisis_admin:detail", args=[action.pk])).status_code == 404


def test_preview_and_report_name_a_meeting_without_a_phone(
    client, world, freeze, django_capture_on_commit_callbacks
):
    """A caseworker meeting booked by staff without a number lands on the call list; the
    screens name it by its meeting service (it has no session)."""
    from bookings.models import Occurrence, Slot
    from meetings.models import MeetingServicePage
    from tests.factories import make_staff_user

    w = world
    service = MeetingServicePage(title="Bostøttesamtale", slug="bostoette")
    w.org.add_child(instance=service)
    service.save_revision().publish()
    caseworker = make_staff_user(w.org, "sagsbehandler2", role="caseworkers_group")
    starts = freeze.replace(hour=8) + timedelta(days=1)
    occurrence = Occurrence.objects.create(
        meeting_service=service,
        caseworker=caseworker,
        date=starts.date(),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
    )
    slot = Slot.objects.create(
        occurrence=occurrence, starts_at=starts, ends_at=occurrence.ends_at, capacity=1
    )
    book(slot, "", name="Uden telefon")
    client.force_login(w.coordinator)
    data = form_data(w, scope=[service.pk], first_day=starts.date().isoformat())
    data["last_day"] = data["first_day"]
    preview = client.post(reverse("crisis_admin:new"), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert "Bostøttesamtale" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crisis_admin:new"), {**data, "start": "1"})
    action = CrisisAction.objects.get()
    detail = client.get(reverse("crisis_admin:detail", args=[action.pk]))
    assert detail.status_code == 200
    assert "Bostøttesamtale" in detail.content.decode()


def test_the_banner_shows_on_the_booking_pages_of_the_hotspot_in_crisis(client, booked, freeze):
    """A citizen who books, or opens their booking, during the crisis must see it there too."""
    w = booked
    start_to_video(w, starts_at=freeze, message=MESSAGE, scope=[w.hotspot_a])
    in_crisis = slots_of(w.session_a, w.day2)[1]
    elsewhere = slots_of(w.session_b, w.day2)[1]
    assert MESSAGE in client.get(reverse("bookings:book", args=[in_crisis.pk])).content.decode()
    assert MESSAGE not in client.get(reverse("bookings:book", args=[elsewhere.pk])).content.decode()
    manage = client.get(reverse("bookings:manage", args=[w.booking.manage_token]))
    assert manage.status_code == 200
    assert MESSAGE in manage.content.decode()
    other = client.get(reverse("bookings:manage", args=[w.booking_b.manage_token]))
    assert MESSAGE not in other.content.decode()


def test_the_dry_run_shows_per_place_what_happens(client, booked, freeze):
    from tests.factories import make_hotspot, make_session

    w = booked
    from bookings.materialise import materialise_session

    closed = make_session(make_hotspot(w.org, "Lokalcenter Nord"))  # in person only
    materialise_session(closed, now=freeze)
    book(slots_of(closed, w.day2)[0], "20123403")
    client.force_login(w.coordinator)
    response = client.post(
        reverse("crisis_admin:new"),
        form_data(w, scope=[], preview="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    rows = {
        place: row.split("</tr>")[0]
        for place, row in (
            (chunk.split('"', 1)[0], chunk) for chunk in html.split('<tr data-place="')[1:]
        )
    }
    assert set(rows) == {"Hovedbiblioteket", "Borgerservice Syd", "Lokalcenter Nord"}
    assert 'data-outcome="video">1<' in rows["Hovedbiblioteket"]
    assert 'data-outcome="cancelled">1<' in rows["Lokalcenter Nord"]
    assert 'data-outcome="video">0<' in rows["Lokalcenter Nord"]
    # The texts each outcome gets are shown before anything is sent.
    assert "Svar TELEFON hvis du hellere vil ringes op" in html
    assert "Svar TID for at finde en anden tid" in html
    assert not CrisisAction.objects.exists()
