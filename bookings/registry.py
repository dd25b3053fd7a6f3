"""How channels and features plug into the booking engine without the engine importing them.

The engine sits low in the house: it knows seats, bookings and waiting lists, not SMS, video
rooms, volunteers or crisis actions. Apps above it register here, in their AppConfig.ready():

- booking event handlers: told of every citizen-visible change, inside the change's own
  transaction ("confirmed", "cancelled", "moved", "mode_switched", "session_cancelled"). Handlers
  in the "prepare" stage run before those in the "notify" stage, so a video room exists before
  the SMS that carries its link is written.
- bulk event handlers: told of a set-based change (bookings.services.bulk: "mode_switched",
  "cancelled", "session_cancelled") with the ids of the bookings it changed, inside its
  transaction. `notify_citizens` says whether the caller leaves telling the citizens to the
  channels (False: it composes its own texts, as crisis mode does), so a channel never sends
  a second, contradicting text.
- waiting-list offer handlers: a held seat was offered to a waiting phone.
- waiting-list joined handlers: a phone joined a waiting list on the web (the SMS channel tells
  it how to leave the list).
- mode policies: may narrow the modes a time allows (a crisis action closes in-person help).
- mode conditions: the same narrowing a source applies per time (modes_for), in SQL, so the
  bulk API moves a booking only to a mode its time can deliver (a caseworker's meeting time
  without video).
- capacity counters: how many volunteers are on shift per occurrence (capacity per volunteer).
- manage views: the manage page of a booking whose source is not a session (a caseworker
  meeting has its own).
- video links: the citizen's join link of a video booking (for its texts) and the host's way
  into its room (for the volunteer running an IT-café shift). The meetings app owns the video
  provider and fills this; texts and the volunteer portal only read it. Both only read: a room
  is created when the booking becomes a video booking, never while a text or page renders.

Registration is idempotent per key, so a module imported twice does not run a handler twice."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

STAGES = ("prepare", "notify")


@dataclass(frozen=True)
class ModeRestriction:
    """What a policy allows at a time: `modes` in the policy's order of preference (possibly
    empty: nothing can be booked then) and a code saying why, which the caller may show."""

    modes: tuple[str, ...]
    reason: str = ""


@dataclass
class _Registry:
    booking_event: dict[str, dict[str, Callable]] = field(
        default_factory=lambda: {stage: {} for stage in STAGES}
    )
    bulk_event: dict[str, dict[str, Callable]] = field(
        default_factory=lambda: {stage: {} for stage in STAGES}
    )
    waitlist_offer: dict[str, Callable] = field(default_factory=dict)
    waitlist_joined: dict[str, Callable] = field(default_factory=dict)
    mode_policies: dict[str, Callable] = field(default_factory=dict)
    mode_conditions: dict[str, Callable] = field(default_factory=dict)
    capacity_counters: dict[str, Callable] = field(default_factory=dict)
    manage_views: dict[str, Callable] = field(default_factory=dict)
    video_links: dict[str, tuple[Callable, Callable]] = field(default_factory=dict)


_registry = _Registry()


def on_booking_event(key: str, handler: Callable, *, stage: str = "notify") -> None:
    """handler(booking, event: str, **context)."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    _registry.booking_event[stage][key] = handler


def on_bulk_booking_event(key: str, handler: Callable, *, stage: str = "notify") -> None:
    """handler(event: str, booking_ids: list[int], *, now, notify_citizens: bool, **context).
    Stages as for booking events: video rooms ("prepare") exist before texts ("notify")."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    _registry.bulk_event[stage][key] = handler


def on_waitlist_offer(key: str, handler: Callable) -> None:
    """handler(entry: WaitlistEntry)."""
    _registry.waitlist_offer[key] = handler


def on_waitlist_joined(key: str, handler: Callable) -> None:
    """handler(entry): a phone joined a waiting list on the web."""
    _registry.waitlist_joined[key] = handler


def add_mode_policy(key: str, policy: Callable) -> None:
    """policy(*, source, starts_at, now) -> ModeRestriction | None (None: no opinion)."""
    _registry.mode_policies[key] = policy


def add_mode_condition(key: str, condition: Callable) -> None:
    """condition(mode: str, prefix: str) -> Q | None: what an occurrence (its lookups under
    `prefix`, e.g. "slot__occurrence__") must also satisfy to offer `mode`."""
    _registry.mode_conditions[key] = condition


def add_capacity_counter(key: str, counter: Callable) -> None:
    """counter(occurrence_ids) -> {occurrence_id: helpers on shift}."""
    _registry.capacity_counters[key] = counter


def add_manage_view(source_kind: str, view: Callable) -> None:
    """view(request, token, booking) -> HttpResponse, for bookings whose source is of this kind
    (bookings.models.Occurrence.source_kind)."""
    _registry.manage_views[source_kind] = view


def add_video_links(key: str, *, join_url: Callable, host_url: Callable) -> None:
    """join_url(booking) -> str: the citizen's join link ("" if the booking has no room).
    host_url(booking, *, display_name) -> str: the provider's address for the host, as
    moderator ("" if none)."""
    _registry.video_links[key] = (join_url, host_url)


# --- what the engine calls ---------------------------------------------------------------------


def booking_event(booking, event: str, **context) -> None:
    for stage in STAGES:
        for handler in _registry.booking_event[stage].values():
            handler(booking, event, **context)


def bulk_booking_event(
    event: str, booking_ids: list[int], *, now: datetime, notify_citizens: bool, **context
) -> None:
    if not booking_ids:
        return
    for stage in STAGES:
        for handler in _registry.bulk_event[stage].values():
            handler(event, booking_ids, now=now, notify_citizens=notify_citizens, **context)


def waitlist_joined(entry) -> None:
    for handler in _registry.waitlist_joined.values():
        handler(entry)


def waitlist_offer(entry) -> None:
    for handler in _registry.waitlist_offer.values():
        handler(entry)


def restrict_modes(modes: Iterable[str], *, source, starts_at, now) -> tuple[list[str], str]:
    """The modes left after every policy and the first reason given. Without a policy the
    source's own order stands; a policy's order of preference replaces it (the first mode left
    is what a booking without a choice of its own gets)."""
    allowed = list(modes)
    reason = ""
    for policy in _registry.mode_policies.values():
        restriction = policy(source=source, starts_at=starts_at, now=now)
        if restriction is None:
            continue
        allowed = [mode for mode in restriction.modes if mode in allowed]
        reason = reason or restriction.reason
    return allowed, reason


def mode_conditions(mode: str, prefix: str) -> list:
    conditions = (condition(mode, prefix) for condition in _registry.mode_conditions.values())
    return [q for q in conditions if q is not None]


def helpers_on_shift(occurrence_ids) -> dict[int, int]:
    counts: dict[int, int] = {}
    for counter in _registry.capacity_counters.values():
        for occurrence_id, n in counter(occurrence_ids).items():
            counts[occurrence_id] = counts.get(occurrence_id, 0) + n
    return counts


def manage_view_for(source_kind: str) -> Callable | None:
    return _registry.manage_views.get(source_kind)


def video_join_url(booking) -> str:
    for join_url, _host_url in _registry.video_links.values():
        if url := join_url(booking):
            return url
    return ""


def video_host_url(booking, *, display_name: str) -> str:
    for _join_url, host_url in _registry.video_links.values():
        if url := host_url(booking, display_name=display_name):
            return url
    return ""
