"""The CMS side of Digihjælp: the page tree is the tenancy.

HomePage (the directory) → OrganisationPage (the tenant) → HotspotPage (a place) →
SessionPage (a recurring IT-café session)."""

from .base import (
    CopyFormWithoutAlias,
)
from .booking_rules import BookingRules
from .closures import Closure, HotspotClosure, OpenedHoliday, SessionClosure
from .home import (
    HomePage,
)
from .hotspot import (
    HotspotKind,
    HotspotPage,
    HotspotText,
    HotspotTranslation,
    MobileStop,
    OpeningHours,
    Weekday,
    free_sms_code,
)
from .info import InfoKind, InfoPage
from .organisation import (
    OrganisationKind,
    OrganisationPage,
)
from .session import (
    BookingKind,
    CapacityRule,
    SessionPage,
    sms_public_number,
)
from .snippets import (
    HelpTopic,
    HelpTopicTranslation,
    Language,
)

__all__ = [
    "BookingRules",
    "BookingKind",
    "CapacityRule",
    "Closure",
    "CopyFormWithoutAlias",
    "HelpTopic",
    "HelpTopicTranslation",
    "HomePage",
    "HotspotClosure",
    "HotspotKind",
    "HotspotPage",
    "InfoKind",
    "InfoPage",
    "HotspotText",
    "HotspotTranslation",
    "KnownAncestorsMixin",
    "Language",
    "MobileStop",
    "OpenedHoliday",
    "OpeningHours",
    "OrganisationKind",
    "OrganisationPage",
    "SessionClosure",
    "SessionPage",
    "Weekday",
    "free_sms_code",
    "sms_public_number",
]
