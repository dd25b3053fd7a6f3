"""The dialog's port onto the booking engine, for one phone."""

from datetime import timedelta

from .. import dialog, registry, texts
from .outbox import (
    is_opted_out,
    record_opt_out,
    remove_opt_out,
)

# An answer refers to the booking our latest text was about for this long; after that, to the
# next booking.
ANSWER_REFERS_TO_TEXT_FOR = timedelta(days=7)


class DatabaseWorld:
    """The dialog's port onto the booking engine, for one phone."""

    def __init__(self, *, phone: str, now, simulated: bool = False):
        self.phone = phone
        self.now = now
        self.simulated = simulated
        self.last_booking = None

    # -- helpers
    def _offer(self, slot) -> dialog.Offer:
        return dialog.Offer(
            slot_id=slot.pk, starts_at=slot.starts_at, place=texts.place_of_slot(slot)
        )

    def _describe(self, booking) -> dict:
        language = booking.language
        return {
            "when": texts.when(booking.slot.starts_at, language),
            "place": texts.place_of_slot(booking.slot),
            "mode": texts.mode_name(booking.mode, language),
        }

    def _next_booking(self):
        """The booking an answer like AFBUD or TELEFON is about: the one our latest text to
        this phone was about, if it is still upcoming (a crisis text about next week's time
        must not change tomorrow's), else the phone's next booking."""
        from bookings.models import Booking, BookingStatus
        from bookings.selectors import next_booking_for_phone

        from ..models import Direction, Message

        texted = (
            Message.objects.filter(
                direction=Direction.OUT,
                to_number=self.phone,
                booking__isnull=False,
                created_at__gte=self.now - ANSWER_REFERS_TO_TEXT_FOR,
            )
            .order_by("-created_at", "-pk")
            .values_list("booking_id", flat=True)
            .first()
        )
        if texted is not None:
            booking = (
                Booking.objects.filter(
                    pk=texted,
                    phone=self.phone,
                    status=BookingStatus.CONFIRMED,
                    slot__ends_at__gt=self.now,
                )
                .select_related("slot__occurrence__session", "help_topic")
                .first()
            )
            if booking is not None:
                return booking
        return next_booking_for_phone(self.phone, now=self.now)

    def _hotspots_for(self, code: str):
        from hotspots.models import HotspotPage

        live = HotspotPage.objects.live()
        hotspots = list(live.filter(sms_code=code)) or list(live.filter(postcode=code))
        if hotspots:
            return hotspots
        # No place in that postcode: the nearest postcodes (Danish postcodes run roughly by
        # region, so numeric closeness is a fair first guess), within the same hundred-block.
        nearby = [
            h
            for h in live.filter(postcode__startswith=code[:2])
            if h.postcode.isdigit() and abs(int(h.postcode) - int(code)) <= 100
        ]
        nearby.sort(key=lambda h: abs(int(h.postcode) - int(code)))
        return nearby[:3]

    def _slots(self, *, hotspots=None, limit: int, exclude=()) -> list:
        from bookings.selectors import bookable_slots

        if hotspots is None:
            slots = bookable_slots(now=self.now, limit=3 * limit + len(exclude))
        else:
            slots = []
            for hotspot in hotspots[:5]:
                slots += bookable_slots(
                    hotspot=hotspot, now=self.now, limit=3 * limit + len(exclude)
                )
        # A time no way of meeting is open for (a crisis action closed in-person help at a
        # place with no remote help) is not offered: "1" would only be refused.
        from bookings.services import modes_for_slot

        slots = [s for s in slots if s.pk not in set(exclude) and modes_for_slot(s, now=self.now)]
        slots.sort(key=lambda s: (s.starts_at, s.pk))
        return slots[:limit]

    def _alternatives(self, slot_id, *, exclude=()) -> list[dialog.Offer]:
        from bookings.models import Slot

        slot = Slot.objects.select_related("occurrence__session").filter(pk=slot_id).first()
        if slot is not None and slot.occurrence.source_kind != "session":
            return self._source_offers(slot, exclude=(slot_id, *exclude))
        hotspots = [slot.occurrence.session.hotspot] if slot else None
        return [
            self._offer(s)
            for s in self._slots(
                hotspots=hotspots, limit=dialog.MAX_OFFERS, exclude=(slot_id, *exclude)
            )
        ]

    def _source_offers(self, slot, *, exclude=()) -> list[dialog.Offer]:
        """Other free times of the same source, for sources with no hotspot (a caseworker's
        meeting service), as the app that owns them finds them (sms.registry)."""
        find = registry.alternatives_for(slot.occurrence.source_kind)
        if find is None:
            return []
        slots = find(slot, now=self.now, limit=dialog.MAX_OFFERS, exclude=set(exclude))
        return [self._offer(s) for s in slots][: dialog.MAX_OFFERS]

    def _failure(self, error) -> dialog.Outcome:
        from bookings.errors import AlreadyBooked

        code = getattr(error, "code", "cannot_book")
        data = {}
        if isinstance(error, AlreadyBooked) and error.booking is not None:
            data = self._describe(error.booking)
        if code in ("closed", "not_open_yet", "cancelled_session"):
            code = "not_changeable"
        return dialog.Outcome(code, data)

    # -- the port
    def is_opted_out(self) -> bool:
        return not self.simulated and is_opted_out(self.phone)

    def opt_out(self) -> dialog.Outcome:
        record_opt_out(phone=self.phone, source="keyword")
        return dialog.Outcome()

    def opt_in(self) -> dialog.Outcome:
        remove_opt_out(phone=self.phone)
        return dialog.Outcome()

    def find_offers(self, *, place_code, limit) -> dialog.Outcome:
        hotspots = None
        if place_code:
            hotspots = self._hotspots_for(place_code)
            if not hotspots:
                return dialog.Outcome("unknown_place")
        offers = [self._offer(s) for s in self._slots(hotspots=hotspots, limit=limit)]
        return dialog.Outcome(data={"offers": offers})

    def book(self, *, slot_id, language, mode=None) -> dialog.Outcome:
        from bookings.errors import BookingError, SlotFull
        from bookings.models import Slot
        from bookings.services import book_slot, modes_for_slot

        slot = Slot.objects.select_related("occurrence__session").filter(pk=slot_id).first()
        if slot is None:
            return dialog.Outcome("cannot_book")
        modes = modes_for_slot(slot, now=self.now)
        if mode is not None and mode not in modes:
            # "1 VIDEO" to a meeting invitation (meetings app) where that time has no video.
            names = ", ".join(texts.mode_name(m, language) for m in modes)
            return dialog.Outcome("mode_not_offered", {"modes": names})
        try:
            booking = book_slot(
                slot_id=slot_id,
                first_name="",
                phone=self.phone,
                channel="sms",
                mode=mode,
                language=language,
                now=self.now,
            )
        except SlotFull:
            return dialog.Outcome("full", {"offers": self._alternatives(slot_id)})
        except BookingError as error:
            return self._failure(error)
        self.last_booking = booking
        return dialog.Outcome(data={"notified": True, **self._describe(booking)})

    def cancel_next(self) -> dialog.Outcome:
        from bookings.errors import BookingError
        from bookings.services import cancel_booking

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        try:
            cancel_booking(booking=booking, actor="citizen", now=self.now)
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(data={"notified": True})

    def move_offers(self, *, limit) -> dialog.Outcome:
        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        if booking.slot.occurrence.source_kind != "session":
            offers = self._source_offers(booking.slot, exclude=(booking.slot_id,))
            return dialog.Outcome(data={"offers": offers})
        hotspot = booking.slot.occurrence.session.hotspot
        slots = self._slots(hotspots=[hotspot], limit=limit, exclude=(booking.slot_id,))
        return dialog.Outcome(data={"offers": [self._offer(s) for s in slots]})

    def move(self, *, slot_id) -> dialog.Outcome:
        from bookings.errors import BookingError, SlotFull
        from bookings.services import move_booking

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        try:
            moved = move_booking(booking=booking, to_slot_id=slot_id, actor="citizen", now=self.now)
        except SlotFull:
            return dialog.Outcome(
                "full", {"offers": self._alternatives(slot_id, exclude=(booking.slot_id,))}
            )
        except BookingError as error:
            return self._failure(error)
        self.last_booking = moved
        return dialog.Outcome(data={"notified": True})

    def switch_mode(self, *, mode) -> dialog.Outcome:
        from bookings.errors import BookingError, ModeNotOffered
        from bookings.services import switch_mode

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        if booking.mode == mode:
            return dialog.Outcome("mode_unchanged", self._describe(booking))
        try:
            switch_mode(booking=booking, mode=mode, actor="citizen", now=self.now)
        except ModeNotOffered:
            from bookings.services import modes_for_slot

            offered = modes_for_slot(booking.slot, now=self.now)
            names = ", ".join(texts.mode_name(m, booking.language) for m in offered)
            return dialog.Outcome("mode_not_offered", {"modes": names})
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(data={"notified": True})

    def join_waitlist(self, *, place_code, language) -> dialog.Outcome:
        """The first full occurrence at the place, soonest first."""
        from django.db.models import F

        from bookings.errors import BookingError
        from bookings.selectors import occurrences_for
        from bookings.services import join_waitlist

        if not place_code:
            return dialog.Outcome("no_place")
        hotspots = self._hotspots_for(place_code)
        if not hotspots:
            return dialog.Outcome("unknown_place")
        full = []
        for hotspot in hotspots[:5]:
            occurrence = (
                occurrences_for(hotspot=hotspot, now=self.now)
                .filter(session__booking_kind="booked", slots__isnull=False)
                .exclude(slots__capacity__gt=F("slots__booked") + F("slots__held"))
                .order_by("starts_at")
                .first()
            )
            if occurrence is not None:
                full.append((occurrence, hotspot))
        if not full:
            return dialog.Outcome("nothing_full")
        occurrence, hotspot = min(full, key=lambda pair: pair[0].starts_at)
        try:
            join_waitlist(
                occurrence_id=occurrence.pk,
                phone=self.phone,
                channel="sms",
                language=language,
                now=self.now,
            )
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(
            data={
                "when": texts.when(occurrence.starts_at, language),
                "place": texts.place_name(hotspot),
            }
        )

    def last_place_code(self) -> str | None:
        """The code of the place this phone last booked or waited at, if it still exists."""
        from bookings.models import Booking, WaitlistEntry
        from hotspots.models import HotspotPage

        paths = []
        for model, field in ((Booking, "slot__occurrence"), (WaitlistEntry, "occurrence")):
            row = (
                model.objects.filter(phone=self.phone, **{f"{field}__session__isnull": False})
                .order_by("-created_at", "-pk")
                .values_list("created_at", f"{field}__session__path")
                .first()
            )
            if row is not None:
                paths.append(row)
        if not paths:
            return None
        _at, path = max(paths)
        parent = path[: -HotspotPage.steplen]
        return (
            HotspotPage.objects.live()
            .filter(path=parent)
            .values_list("sms_code", flat=True)
            .first()
        )

    def leave_waitlist(self) -> dialog.Outcome:
        """STOP VENT: off every waiting list this phone is on."""
        from bookings.models import WaitlistEntry, WaitlistStatus
        from bookings.services import leave_waitlist

        entries = list(
            WaitlistEntry.objects.filter(
                phone=self.phone,
                status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
                occurrence__starts_at__gt=self.now,
            )
            .select_related("occurrence__session")
            .order_by("occurrence__starts_at")
        )
        if not entries:
            return dialog.Outcome("not_on_waitlist")
        for entry in entries:
            leave_waitlist(entry=entry, now=self.now)
        first = entries[0].occurrence
        language = entries[0].language
        return dialog.Outcome(
            data={
                "when": texts.when(first.starts_at, language),
                "place": texts.place_name(first.session.hotspot),
            }
        )

    def accept_waitlist_offer(self) -> dialog.Outcome:
        from bookings.errors import BookingError, NoWaitlistOffer
        from bookings.services import accept_waitlist_offer

        # JA answers more than a waiting-list offer: a volunteer accepting a shift call-out
        # ("Kan du tage tirsdag kl. 10? Svar JA") is asked first (sms.registry); a handler that
        # takes the JA texts its own reply, so citizens' JA for a seat is unchanged.
        if registry.handle_yes(phone=self.phone, now=self.now):
            return dialog.Outcome(data={"notified": True})

        try:
            booking = accept_waitlist_offer(phone=self.phone, now=self.now)
        except NoWaitlistOffer:
            return dialog.Outcome("no_waitlist_offer")
        except BookingError as error:
            return self._failure(error)
        self.last_booking = booking
        return dialog.Outcome(data={"notified": True})
