"""Every write of the volunteers app: invitations, SMS login codes, taking and dropping shifts,
call-outs, attendance and walk-ins.

Concurrency: taking a shift locks the occurrence row (SELECT … FOR NO KEY UPDATE on PostgreSQL;
on SQLite every write transaction is IMMEDIATE and therefore serialised) before it counts the
volunteers on shift, so two volunteers racing for the last open role cannot both get it. A partial
unique index keeps one volunteer from holding a date twice (a double tap). A call-out moves
open -> filled with one conditional UPDATE, so the first JA wins.

After every change to who is on shift, bookings.services.recompute_capacity() re-sizes the slots
of "seats per volunteer" sessions (and offers new seats to the waiting list)."""

from ._common import (
    portal_url,
)
from .attendance import (
    mark_booking,
    record_walk_in,
)
from .callouts import (
    accept_callout,
    alert_unstaffed_soon,
)
from .login import (
    login_with_password,
    purge_login_codes,
    request_login_code,
    set_password,
    verify_login_code,
)
from .membership import (
    Invitation,
    accept_invitation,
    invite_to_organisation,
    invite_volunteer,
    update_membership,
)
from .retention import (
    anonymise_departed_volunteers,
)
from .shifts import (
    citizens_without_volunteer,
    drop_shift,
    fill_all_weekly_series,
    fill_weekly_series,
    stop_weekly,
    take_shift,
)

__all__ = [
    "Invitation",
    "accept_invitation",
    "invite_to_organisation",
    "CallOutAnswer",
    "DropResult",
    "accept_callout",
    "alert_unstaffed_soon",
    "anonymise_departed_volunteers",
    "citizens_without_volunteer",
    "drop_shift",
    "fill_all_weekly_series",
    "fill_weekly_series",
    "invite_volunteer",
    "login_with_password",
    "mark_booking",
    "portal_url",
    "purge_login_codes",
    "record_walk_in",
    "request_login_code",
    "set_password",
    "stop_weekly",
    "take_shift",
    "update_membership",
    "verify_login_code",
]
