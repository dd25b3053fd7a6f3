"""Writes for crisis mode. Crisis mode only selects and orchestrates: every booking, seat,
occurrence and waiting-list change goes through the booking engine's bulk API
(bookings.services.bulk), every text through the SMS channel's bulk enqueue
(sms.services.bulk). No row of theirs is written here.

Starting an action only records the decision (fast, inside the admin request); a task then
applies it in one transaction, so the bookings change if and only if their texts are queued.
Each booking gets one of three outcomes: moved to the remote mode the action prefers, or to the
other one if that is what its session or meeting service offers, or cancelled when it offers
neither. Each citizen gets the coordinator's message with the line for their outcome, naming
only answers the SMS dialog will then carry out (crisis/texts.py). Ending the action (on time
by the periodic job, or early) sends the all-clear and, if the coordinator chose so, moves the
bookings back to in person."""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Actor, BookingStatus, CancellationSource, Mode
from bookings.services import bulk
from bookings.validators import CPR_MESSAGE, contains_cpr_number
from hotspots.tenancy import Role, may_act_for
from sms import dialog
from sms.models import Status
from sms.services.bulk import dispatch_after_commit, enqueue_many

from . import selectors, texts
from .models import CrisisAction, CrisisKind, CrisisStatus
from .policy import REMOTE_PREFERENCE, forget_banners

logger = logging.getLogger(__name__)

CRISIS = CancellationSource.CRISIS
OTHER_REMOTE = {Mode.VIDEO: Mode.PHONE, Mode.PHONE: Mode.VIDEO}


class CrisisError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Answers that act on a booking: the coordinator's message must not promise them, because
# whether they work depends on each citizen's booking. (HJÆLP, STOP, START work for anyone.)
BOOKING_INTENTS = {"list", "cancel", "move", "video", "phone", "in_person", "accept", "wait"}


def keywords_in(message: str) -> list[str]:
    """Words in capitals that the SMS dialog would act on (TELEFON, AFBUD …)."""
    found = set()
    for token in (message or "").split():
        word = token.strip(".,:;!?()\"'")
        intent = dialog.match_keyword(dialog.normalise(word)) if word.isupper() else None
        if len(word) >= 2 and intent in BOOKING_INTENTS:
            found.add(word)
    return sorted(found)


def _clean_message(message: str, *, max_length: int, english: bool = False) -> str:
    message = (message or "").strip()
    if contains_cpr_number(message):
        raise CrisisError(str(CPR_MESSAGE))
    if len(message) > max_length:
        raise CrisisError(
            _("The English message is too long for a text message.")
            if english
            else _("The message is too long for a text message.")
        )
    words = keywords_in(message)
    if words:
        raise CrisisError(
            _(
                "Leave out the answers (%(words)s): each citizen's text gets the answers that "
                "work for their booking."
            )
            % {"words": ", ".join(words)}
        )
    return message


@transaction.atomic
def start_crisis_action(
    *,
    organisation,
    user,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    message: str,
    message_en: str = "",
    restore_in_person: bool = True,
    scope_page_ids=(),
    now=None,
) -> CrisisAction:
    """Record the coordinator's decision and hand the work to a task once it commits."""
    now = now or timezone.now()
    if not may_act_for(user, organisation, Role.COORDINATOR):
        raise CrisisError(_("You are not a coordinator of this organisation."))
    if kind not in CrisisKind.values:
        raise CrisisError(_("Choose what should happen."))
    if ends_at <= starts_at:
        raise CrisisError(_("The period must end after it starts."))
    if not (message or "").strip():
        raise CrisisError(_("Write the message the citizens will get."))
    message = _clean_message(message, max_length=texts.INTRO_MAX)
    message_en = _clean_message(message_en, max_length=texts.INTRO_MAX, english=True)
    page_ids = sorted({int(pk) for pk in scope_page_ids})
    paths = selectors.scope_paths_for(organisation, page_ids)
    if page_ids and len(paths) != len(page_ids):
        raise CrisisError(_("Choose places that belong to this organisation."))
    action = CrisisAction.objects.create(
        organisation=organisation,
        scope_page_ids=page_ids,
        scope_paths=paths,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        message=message,
        message_en=message_en,
        restore_in_person=restore_in_person,
        created_by=user,
    )
    logger.info("Crisis action %s (%s) started by user %s", action.pk, kind, user.pk)
    transaction.on_commit(forget_banners)
    transaction.on_commit(lambda: _enqueue_apply(action.pk))
    return action


def _enqueue_apply(action_id: int) -> None:
    from .tasks import apply_crisis

    apply_crisis.enqueue(action_id)


@transaction.atomic
def apply_crisis_action(*, action_id: int, now=None) -> CrisisAction:
    """Change the bookings and queue every SMS, all or nothing. Safe to run twice: only a
    pending action is applied."""
    now = now or timezone.now()
    action = CrisisAction.objects.select_for_update().filter(pk=action_id).first()
    if action is None or action.status != CrisisStatus.PENDING:
        return action
    occurrences = 0
    outcomes: dict[str, int] = {}
    if action.kind == CrisisKind.CLOSE:
        occurrences, cancelled = bulk.cancel_occurrences(
            occurrences=selectors.affected_occurrences(
                paths=action.scope_paths, starts_at=action.starts_at, ends_at=action.ends_at
            ),
            reason_code=CRISIS,
            actor=Actor.SYSTEM,
            notify_citizens=False,
            now=now,
        )
        outcomes[selectors.CANCELLED] = len(cancelled)
    else:
        # Re-read after each step: a booking switched to the first mode is no longer in
        # person, so the next step sees only the rest.
        selection = selectors.affected_bookings(
            kind=action.kind,
            paths=action.scope_paths,
            starts_at=action.starts_at,
            ends_at=action.ends_at,
        )
        for mode in REMOTE_PREFERENCE[action.kind]:
            switched = bulk.switch_mode(
                bookings=selection,
                mode=mode,
                imposed=True,
                actor=Actor.STAFF,
                reason_code=CRISIS,
                notify_citizens=False,
                now=now,
            )
            outcomes[mode] = len(switched)
        # No way to help them remotely: their seats are not offered to the waiting list
        # (nobody could be helped in them either).
        cancelled = bulk.cancel_bookings(
            bookings=selection,
            reason_code=CRISIS,
            actor=Actor.SYSTEM,
            reoffer=False,
            notify_citizens=False,
            now=now,
        )
        outcomes[selectors.CANCELLED] = len(cancelled)

    changed = selectors.changed_bookings_at(now)
    _queue_outcome_texts(action, changed, now=now)
    counts = dict(
        selectors.crisis_messages_at(action, now)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    CrisisAction.objects.filter(pk=action.pk).update(
        status=CrisisStatus.ACTIVE,
        applied_at=now,
        bookings_changed=sum(outcomes.values()),
        occurrences_cancelled=occurrences,
        outcomes=outcomes,
        phones_texted=counts.get(Status.QUEUED, 0),
        phones_opted_out=counts.get(Status.OPTED_OUT, 0),
        no_phone_booking_ids=list(
            changed.filter(phone="").order_by("pk").values_list("pk", flat=True)
        ),
    )
    action.refresh_from_db()
    return action


def _by_language(bookings):
    return (("en", bookings.filter(language="en")), ("da", bookings.exclude(language="en")))


def _send(action, bookings, *, outcome: str, extra: str = "", purpose: str, now) -> int:
    """One text per phone among `bookings`, in each citizen's language. Returns rows queued."""
    written = 0
    for language, group in _by_language(bookings):
        body = texts.compose(
            outcome=outcome,
            extra=extra,
            language=language,
            message=action.message,
            message_en=action.message_en,
            org=action.organisation.title,
        )
        written += enqueue_many(bookings=group, body=body, purpose=purpose, now=now, dispatch=False)
    return written


def _queue_outcome_texts(action, changed, *, now) -> None:
    """Texts grouped by what happened and by what the place still offers, so each group's
    one body names only answers that work for everyone in it (a few INSERT … SELECTs)."""
    purpose = action.sms_purpose
    for mode, other in OTHER_REMOTE.items():
        offers_other = bulk.source_offers(other)
        moved = changed.filter(status=BookingStatus.CONFIRMED, mode=mode)
        if mode == Mode.VIDEO:
            # A meeting's video line is its own; a citizen with both gets both.
            sessions, meetings = _split_by_source(moved)
            kinds = [(sessions, mode), (meetings, f"{mode}_meeting")]
        else:
            # The phone line is the same for both: one text per phone.
            kinds = [(moved, mode)]
        for moved, outcome in kinds:
            _send(
                action,
                moved.filter(offers_other),
                outcome=outcome,
                extra=other,
                purpose=purpose,
                now=now,
            )
            _send(action, moved.exclude(offers_other), outcome=outcome, purpose=purpose, now=now)
    cancelled = changed.filter(status=BookingStatus.CANCELLED)
    sessions, meetings = _split_by_source(cancelled)
    # "Closed" says only that it is cancelled; otherwise the line says why (no remote help).
    outcome = "closed" if action.kind == CrisisKind.CLOSE else "cancelled"
    _send(action, sessions, outcome=outcome, purpose=purpose, now=now)
    _send(action, meetings, outcome=f"{outcome}_meeting", purpose=purpose, now=now)
    dispatch_after_commit(purpose)  # one hand-over to the bulk queue for all the groups


def _split_by_source(bookings):
    """(IT-café bookings, caseworker meetings): TID finds hotspot times, not a caseworker's."""
    return (
        bookings.filter(slot__occurrence__meeting_service__isnull=True),
        bookings.filter(slot__occurrence__meeting_service__isnull=False),
    )


def send_all_clear(*, action: CrisisAction, now=None) -> CrisisAction:
    """At the end: move the bookings back to in person if the coordinator chose so, and text
    every citizen whose future booking the action changed (a cancelled one: that we are open
    again). Once per action."""
    now = now or timezone.now()
    claimed = CrisisAction.objects.filter(
        pk=action.pk, status=CrisisStatus.ENDED, all_clear_at__isnull=True
    ).update(all_clear_at=now)
    if not claimed or action.applied_at is None:
        return action
    changed = selectors.changed_bookings(action)
    upcoming = changed.filter(status=BookingStatus.CONFIRMED, slot__starts_at__gt=now)
    restored = []
    if action.restore_in_person:
        # Only what the crisis imposed and the citizen has not changed since.
        restored = bulk.switch_mode(
            bookings=upcoming.filter(mode_imposed=True).exclude(mode=Mode.IN_PERSON),
            mode=Mode.IN_PERSON,
            imposed=False,
            actor=Actor.SYSTEM,
            reason_code=CRISIS,
            notify_citizens=False,
            now=now,
        )
    purpose = action.all_clear_purpose
    # In person now: restored, or changed back by the citizen since (true for them too).
    sent = _send(
        action, upcoming.filter(mode=Mode.IN_PERSON), outcome="restored", purpose=purpose, now=now
    )
    remote = upcoming.exclude(mode=Mode.IN_PERSON)
    in_person = bulk.source_offers(Mode.IN_PERSON)
    sent += _send(action, remote.filter(in_person), outcome="stays", purpose=purpose, now=now)
    sent += _send(
        action, remote.exclude(in_person), outcome="stays_fixed", purpose=purpose, now=now
    )
    cancelled = changed.filter(status=BookingStatus.CANCELLED, cancelled_at=action.applied_at)
    sessions, meetings = _split_by_source(cancelled)
    sent += _send(action, sessions, outcome="reopened", purpose=purpose, now=now)
    sent += _send(action, meetings, outcome="reopened_meeting", purpose=purpose, now=now)
    if sent:
        dispatch_after_commit(purpose)
    CrisisAction.objects.filter(pk=action.pk).update(
        all_clear_texts=sent, bookings_restored=len(restored)
    )
    action.refresh_from_db()
    return action


def dispatch_crisis_messages(*, action_id: int) -> int:
    """Kept for tasks already queued by an older version: the SMS bulk enqueue now hands the
    texts to the bulk queue itself."""
    from sms.services.bulk import dispatch_queued

    action = CrisisAction.objects.filter(pk=action_id).first()
    if action is None or action.applied_at is None:
        return 0
    return dispatch_queued(purpose=action.sms_purpose)


@transaction.atomic
def end_crisis_action(*, action: CrisisAction, user, now=None) -> CrisisAction:
    """End early: the banner goes at once, and the all-clear goes to the citizens whose
    upcoming bookings the action changed."""
    now = now or timezone.now()
    if not selectors.actions_for_user(user).filter(pk=action.pk).exists():
        raise CrisisError(_("You are not a coordinator of this organisation."))
    changed = CrisisAction.objects.filter(
        pk=action.pk, status__in=[CrisisStatus.PENDING, CrisisStatus.ACTIVE]
    ).update(status=CrisisStatus.ENDED, ended_by=user, ended_at=now)
    if not changed:
        raise CrisisError(_("This crisis action has already ended."))
    logger.info("Crisis action %s ended by user %s", action.pk, user.pk)
    transaction.on_commit(forget_banners)
    action.refresh_from_db()
    return send_all_clear(action=action, now=now)


def end_finished_actions(*, now=None) -> int:
    """The periodic job: actions whose period is over end on their own, with the all-clear."""
    now = now or timezone.now()
    ended = 0
    for pk in CrisisAction.objects.filter(
        status__in=[CrisisStatus.PENDING, CrisisStatus.ACTIVE], ends_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if CrisisAction.objects.filter(
                pk=pk, status__in=[CrisisStatus.PENDING, CrisisStatus.ACTIVE]
            ).update(status=CrisisStatus.ENDED, ended_at=now):
                action = CrisisAction.objects.get(pk=pk)
                send_all_clear(action=action, now=now)
                ended += 1
                transaction.on_commit(forget_banners)
    return ended
