"""The booking request's statements compiled once (bookings/precompiled.py) must give what the
plain ORM call gives, statement for statement, on both databases."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from bookings import selectors
from bookings.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    BookingSubmission,
    Occurrence,
    OccurrenceStatus,
    Slot,
)
from bookings.precompiled import Precompiled, insert
from bookings.services import _common
from bookings.services.booking import _remember_submission
from sms.models import Message

pytestmark = pytest.mark.django_db


def _sql(call) -> tuple:
    """The call's result and its statements as handed to the database driver: (SQL, values).
    (Not the logged text: on PostgreSQL the compiled statements are bound on the server, so
    their log shows $1 where the ORM's shows the value.)"""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = call()
    return result, statements


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_slot_for_booking_is_the_orm_query(slot):
    orm, orm_sql = _sql(lambda: selectors._slot_for_booking_query(slot.pk).get())
    for _round in range(2):  # compiled on the first call, re-used on the second
        fast, fast_sql = _sql(lambda: selectors.slot_for_booking(slot.pk))
        [(orm_text, orm_values)] = orm_sql
        assert fast_sql == [(orm_text.replace(" LIMIT 21", ""), orm_values)]
        assert _fields(fast) == _fields(orm)
        assert _fields(fast.occurrence) == _fields(orm.occurrence)
        assert _fields(fast.occurrence.session) == _fields(orm.occurrence.session)
        assert type(fast.occurrence.session) is type(orm.occurrence.session)
        assert fast.hotspot_for_sms == orm.hotspot_for_sms
        assert selectors.hotspot_for_sms(fast)["title"]
        assert fast._state.adding is False and fast._state.db == "default"
        # Read from the row: no query for the occurrence or its session page.
        with CaptureQueriesContext(connection) as queries:
            assert fast.occurrence.session.live
        assert not queries
    other = Slot.objects.exclude(pk=slot.pk).first()
    assert selectors.slot_for_booking(other.pk).pk == other.pk
    assert selectors.slot_for_booking(999_999_999) is None


def _orm_take_seat(slot_id, phone):
    return bool(
        _common._free_seat_unless_booked(slot_id, phone).update(booked=_common.F("booked") + 1)
    )


def test_take_seat_is_the_orm_update(slot, now):
    capacity = slot.capacity
    sql = {}
    for name, take in (("orm", _orm_take_seat), ("fast", None)):
        Slot.objects.filter(pk=slot.pk).update(booked=0, held=0)
        if take is None:

            def take(slot_id, phone):
                return _common._take_seat(slot_id, unless_booked_by=phone)

        taken, sql[name] = _sql(lambda take=take: take(slot.pk, "+4521234561"))
        assert taken
        assert Slot.objects.get(pk=slot.pk).booked == 1
        # Full: refused, nothing changes.
        Slot.objects.filter(pk=slot.pk).update(booked=capacity)
        assert not take(slot.pk, "+4521234562")
        assert Slot.objects.get(pk=slot.pk).booked == capacity
    assert sql["fast"] == sql["orm"]


def test_take_seat_refuses_a_phone_booked_that_day(slot, now):
    from bookings.services import book_slot

    book_slot(slot_id=slot.pk, first_name="A", phone="+4521234563", channel="web", now=now)
    other = Slot.objects.filter(occurrence_id=slot.occurrence_id).exclude(pk=slot.pk).first()
    assert other is not None
    before = Slot.objects.get(pk=other.pk).booked
    assert not _common._take_seat(other.pk, unless_booked_by="+4521234563")
    assert _common._take_seat(other.pk, unless_booked_by="+4521234564")
    assert not Booking.objects.filter(phone="+4521234564").exists()  # only the seat is taken
    assert Slot.objects.get(pk=other.pk).booked == before + 1
    # Without a phone (staff booking for someone without a mobile): only the seats count.
    assert _common._take_seat(other.pk)


def test_occurrence_still_scheduled_is_the_orm_exists(slot):
    occurrence_id = slot.occurrence_id
    orm, orm_sql = _sql(
        lambda: Occurrence.objects.filter(
            pk=occurrence_id, status=OccurrenceStatus.SCHEDULED
        ).exists()
    )
    fast, fast_sql = _sql(lambda: _common._occurrence_still_scheduled(occurrence_id))
    assert fast is orm is True
    assert fast_sql == orm_sql
    Occurrence.objects.filter(pk=occurrence_id).update(status=OccurrenceStatus.CANCELLED)
    assert _common._occurrence_still_scheduled(occurrence_id) is False


def test_insert_is_save(slot, now):
    seen = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", sender, instance.pk, kwargs["raw"], kwargs["update_fields"]))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", sender, instance.pk, created, kwargs["using"]))

    pre_save.connect(pre, sender=Booking)
    post_save.connect(post, sender=Booking)
    try:
        made = []
        for n, write in enumerate((lambda b: b.save(force_insert=True), insert)):
            booking = Booking(
                slot=slot,
                first_name="Ib",
                phone=f"+452123457{n}",
                reference=f"REF00{n}",
                manage_token_hash=f"hash{n}",
            )
            write(booking)
            made.append(booking)
    finally:
        pre_save.disconnect(pre, sender=Booking)
        post_save.disconnect(post, sender=Booking)
    orm, fast = made
    assert fast.pk and fast._state.adding is False and fast._state.db == "default"
    assert fast.created_at and fast.updated_at  # auto_now_add / auto_now filled in
    stored = Booking.objects.get(pk=fast.pk)
    assert stored.status == BookingStatus.CONFIRMED and stored.created_at == fast.created_at
    skip = {"id", "phone", "reference", "manage_token_hash", "created_at", "updated_at"}
    assert {k: v for k, v in _fields(stored).items() if k not in skip} == {
        k: v for k, v in _fields(Booking.objects.get(pk=orm.pk)).items() if k not in skip
    }
    assert [s[:2] for s in seen] == [("pre", Booking), ("post", Booking)] * 2
    assert seen[3] == ("post", Booking, fast.pk, True, "default")
    assert seen[2][3:] == (False, None)

    # Another model (a JSON-less outbox row, a foreign key) reads back as written.
    message = Message(direction="out", to_number="+4521234581", body="Hej", status="queued")
    message.booking = fast
    insert(message)
    assert Message.objects.get(pk=message.pk).booking_id == fast.pk
    insert(BookingEvent(booking=fast, kind="booked", actor="citizen", at=now))
    assert BookingEvent.objects.get(booking=fast).at == now


def test_insert_with_update_conflicts_replaces_the_row(slot, now):
    first = Booking.objects.create(
        slot=slot, first_name="A", phone="+4521234591", reference="R1", manage_token_hash="h1"
    )
    second = Booking.objects.create(
        slot=slot, first_name="B", phone="+4521234592", reference="R2", manage_token_hash="h2"
    )
    _remember_submission("submission-bbbbbbbbbbbb", booking=first, token="t1", now=now)
    _remember_submission("submission-bbbbbbbbbbbb", booking=second, token="t2", now=now)
    row = BookingSubmission.objects.get()
    assert (row.booking_id, row.token) == (second.pk, "t2")
    assert row.expires_at == now + timedelta(minutes=15)


def test_a_value_the_statement_does_not_use_is_refused():
    unused = Precompiled(
        lambda slot_id, phone: Slot.objects.filter(pk=slot_id), slot_id=int, phone=str
    )
    with pytest.raises(ValueError, match="phone"):
        unused.first(slot_id=1, phone="x")


@pytest.mark.parametrize("run_after", [False, True])
def test_the_task_backend_writes_the_row_django_tasks_db_writes(settings, run_after):
    from datetime import UTC, datetime

    from django_tasks_db.models import DBTaskResult

    from sms.tasks import send_message

    queues = ["interactive", "default", "bulk"]
    settings.TASKS = {
        "default": {"BACKEND": "bookings.task_backend.DatabaseBackend", "QUEUES": queues},
        "upstream": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues},
    }
    task = (
        send_message.using(run_after=datetime(2030, 1, 1, tzinfo=UTC))
        if run_after
        else (send_message)
    )
    ours = task.enqueue(41)
    theirs = task.using(backend="upstream").enqueue(41)
    assert ours.status == theirs.status and ours.args == theirs.args == [41]
    mine, upstream = (DBTaskResult.objects.get(id=r.id) for r in (ours, theirs))
    skip = {"id", "enqueued_at", "backend_name"}
    assert {k: v for k, v in _fields(mine).items() if k not in skip} == {
        k: v for k, v in _fields(upstream).items() if k not in skip
    }
    assert mine.backend_name == "default" and mine.enqueued_at


def test_an_expression_is_refused_before_anything_is_compiled(slot):
    from django.db.models.functions import Now

    from bookings.precompiled import _ATTRIBUTE

    event = BookingEvent(
        booking=Booking.objects.create(
            slot=slot, first_name="E", phone="+4521234601", reference="R9", manage_token_hash="h9"
        ),
        kind="booked",
        actor="citizen",
        at=Now(),
    )
    compiled_before = dict(connection.__dict__.get(_ATTRIBUTE, {}))
    with pytest.raises(TypeError, match="at"):
        insert(event)
    assert connection.__dict__.get(_ATTRIBUTE, {}) == compiled_before


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_bookings_run_prepared_statements_and_survive_a_rollback(slot, now):
    from bookings.services import book_slot

    assert connection.connection.prepare_threshold is not None  # as production (test settings)
    Slot.objects.filter(pk=slot.pk).update(capacity=10)

    def book(n):
        return book_slot(
            slot_id=slot.pk, first_name="Ib", phone=f"+45212346{n:02d}", channel="web", now=now
        )

    made = [book(n) for n in range(3)]
    for _round in range(3):  # an ORM query run as often keeps Django's client-side binding
        assert Booking.objects.filter(slot=slot, first_name="Ib").count() == 3
    prepared = _prepared_statements()
    assert any('INSERT INTO "bookings_booking"' in s for s in prepared)
    assert any('UPDATE "bookings_slot"' in s for s in prepared)
    assert not any("COUNT(" in s.upper() for s in prepared)

    # A rolled-back write makes psycopg drop its prepared statements (DEALLOCATE ALL): the next
    # bookings prepare them again and are written as before.
    with pytest.raises(RuntimeError), transaction.atomic():
        book(50)
        raise RuntimeError
    made += [book(n) for n in range(3, 6)]
    assert Booking.objects.filter(slot=slot).count() == 6
    assert not Booking.objects.filter(phone="+4521234650").exists()
    assert Slot.objects.get(pk=slot.pk).booked == 6
    assert {b.reference for b in made} == set(
        Booking.objects.filter(slot=slot).values_list("reference", flat=True)
    )
    assert any('INSERT INTO "bookings_booking"' in s for s in _prepared_statements())
