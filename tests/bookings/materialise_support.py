"""What the materialisation tests share: republishing a session and booking a seat."""

from bookings import services


def republish(session, **changes):
    for name, value in changes.items():
        setattr(session, name, value)
    session.save_revision().publish()
    session.refresh_from_db()
    return session


def book(slot, now, phone="20123456"):
    return services.book_slot(
        slot_id=slot.pk, first_name="Bodil", phone=phone, channel="web", now=now
    )
