"""The CMS side of Digihjælp: the page tree is the tenancy.

HomePage (the directory) → OrganisationPage (the tenant) → HotspotPage (a place) →
SessionPage (a recurring IT-café session)."""

from datetime import date, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from recurrence.fields import RecurrenceField
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Collection, Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import schedule


def _localised(da_value: str, en_value: str) -> str:
    if en_value and (get_language() or "da").startswith("en"):
        return en_value
    return da_value


@register_snippet
class HelpTopic(models.Model):
    """Something a citizen needs help with: MitID, Digital Post, net banking, their phone."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    description = models.CharField(
        _("description"),
        max_length=255,
        blank=True,
        help_text=_("One plain sentence citizens can understand."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("help topic")
        verbose_name_plural = _("help topics")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)


class Language(models.Model):
    """A language the helpers at a hotspot speak. Rows come from a data migration."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name in English"), max_length=40)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)


class CopyFormWithoutAlias(CopyForm):
    """Wagtail's copy form without "create an alias": an alias duplicates every field,
    including the organisation's groups and the hotspot's unique SMS code, which cannot be
    shared between two pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("alias", None)


class KnownAncestorsMixin:
    """A page reached through HomePage.route already knows its ancestors (the route query
    found them), so breadcrumbs and Wagtail's privacy check need no query of their own."""

    _known_ancestors: list | None = None

    def known_ancestors(self) -> list:
        if self._known_ancestors is None:
            self._known_ancestors = list(self.get_ancestors())
        return self._known_ancestors

    def get_view_restrictions(self):
        if self._known_ancestors is None:
            return super().get_view_restrictions()
        # Same rule as Wagtail's: an alias uses its source page's restrictions. Privacy cannot
        # be set on the tree root, so the directory and below are all there is to check.
        ids = {page.alias_of_id or page.pk for page in [self, *self._known_ancestors]}
        return PageViewRestriction.objects.filter(page_id__in=ids)


class HomePage(Page):
    """The public directory of hotspots."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A few words at the top of the directory."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["hotspots.OrganisationPage"]
    max_count = 1
    template = "pages/hotspots/home_page.html"

    class Meta:
        verbose_name = _("directory (front page)")

    def route(self, request, path_components):
        # Wagtail walks the tree one level per path component, two queries a level. Find the
        # deepest page whose URL is a prefix of the path in one query instead, so a session
        # page costs what the directory costs (DESIGN §7: a fixed, small number of queries).
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/"
            for n in range(1, len(path_components) + 1)
        ]
        found = list(Page.objects.filter(url_path__in=prefixes).order_by("depth"))
        if not found:
            raise Http404
        page = found[-1].specific
        if isinstance(page, KnownAncestorsMixin):
            page._known_ancestors = [self, *found[:-1]]
        return page.route(request, path_components[page.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        from .views import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request, home=self))
        return context


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DROP_IN_CENTRE = "drop_in_centre", _("Drop-in centre")
    LIBRARY = "library", _("Library")
    NGO = "ngo", _("Voluntary organisation")


class OrganisationPage(KnownAncestorsMixin, Page):
    """A municipality, drop-in centre, library or NGO. The tenant: its editors may only touch
    pages below this one."""

    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("The number citizens can call.")
    )
    website = models.URLField(_("website"), blank=True)

    editors_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    caseworkers_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    collection = models.OneToOneField(
        Collection,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("website")]),
    ]
    parent_page_types = ["hotspots.HomePage"]
    subpage_types = ["hotspots.HotspotPage", "meetings.MeetingServicePage"]
    template = "pages/hotspots/organisation_page.html"
    # A copy is a new tenant: it gets its own groups and collection when it is saved.
    exclude_fields_in_copy = [
        "editors_group",
        "coordinators_group",
        "caseworkers_group",
        "collection",
    ]
    copy_form_class = CopyFormWithoutAlias

    api_fields = [APIField("kind"), APIField("phone"), APIField("website")]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = self.known_ancestors()
        return context

    def with_content_json(self, content):
        # Revisions may predate provisioning: publishing or reverting to one must never detach
        # the organisation from its groups and collection.
        page = super().with_content_json(content)
        for name in self.exclude_fields_in_copy:
            setattr(page, f"{name}_id", getattr(self, f"{name}_id"))
        return page

    @property
    def staff_groups(self) -> list[Group]:
        return [
            g for g in (self.editors_group, self.coordinators_group, self.caseworkers_group) if g
        ]


class HotspotKind(models.TextChoices):
    FIXED = "fixed", _("Fixed place")
    MOBILE = "mobile", _("Mobile café with stops")


sms_code_validator = RegexValidator(
    r"^[0-9]{4}$", _("The SMS code must be exactly four digits, e.g. 4021.")
)
postcode_validator = RegexValidator(r"^[0-9]{4}$", _("A Danish postcode has four digits."))


class HotspotPage(KnownAncestorsMixin, RoutablePageMixin, Page):
    """A place where citizens get help with digital tasks."""

    kind = models.CharField(
        _("kind of place"), max_length=10, choices=HotspotKind.choices, default=HotspotKind.FIXED
    )
    summary = models.CharField(
        _("short description"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the directory. One or two plain sentences."),
    )
    street_address = models.CharField(_("street and number"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    city = models.CharField(_("town"), max_length=60)
    latitude = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(54.4), MaxValueValidator(57.8)],
        help_text=_("Decimal degrees, e.g. 56.1572. Used to show the nearest places first."),
    )
    longitude = models.FloatField(
        _("longitude"),
        validators=[MinValueValidator(7.9), MaxValueValidator(15.3)],
        help_text=_("Decimal degrees, e.g. 10.2107."),
    )
    directions = models.CharField(
        _("how to find us"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'Ground floor, the room to the left of the entrance'."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    sms_code = models.CharField(
        _("SMS code"),
        max_length=4,
        unique=True,
        validators=[sms_code_validator],
        help_text=_(
            "Four digits citizens text to book here, e.g. 4021. Must differ from every other "
            "place's code."
        ),
    )
    help_topics = ParentalManyToManyField(HelpTopic, blank=True, verbose_name=_("help topics"))
    languages = ParentalManyToManyField(Language, blank=True, verbose_name=_("languages spoken"))
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    quiet_room = models.BooleanField(_("quiet room available"), default=False)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    body = RichTextField(
        _("more about the place"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    search_fields = Page.search_fields + [
        index.SearchField("city"),
        index.SearchField("summary"),
        index.FilterField("postcode"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("directions"),
            ],
            heading=_("Address"),
        ),
        InlinePanel("stops", heading=_("Stops (mobile café only)"), label=_("stop")),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("sms_code")]),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("opening hours")),
        FieldPanel("help_topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("hearing_loop"),
                FieldPanel("accessible_toilet"),
                FieldPanel("quiet_room"),
            ],
            heading=_("Accessibility"),
        ),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["hotspots.OrganisationPage"]
    subpage_types = ["hotspots.SessionPage"]
    template = "pages/hotspots/hotspot_page.html"
    # A copy must not share the original's SMS code; save() gives it the next free one.
    exclude_fields_in_copy = ["sms_code"]
    copy_form_class = CopyFormWithoutAlias

    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("street_address"),
        APIField("postcode"),
        APIField("city"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("phone"),
        APIField("sms_code"),
        APIField("step_free_access"),
        APIField("hearing_loop"),
        APIField("accessible_toilet"),
        APIField("quiet_room"),
        APIField("help_topic_names"),
        APIField("language_codes"),
        APIField("opening_hours_list"),
    ]

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")

    def clean(self):
        super().clean()
        if self.sms_code:
            clash = HotspotPage.objects.filter(sms_code=self.sms_code).exclude(pk=self.pk).first()
            if clash:
                raise ValidationError(
                    {
                        "sms_code": _(
                            "The SMS code %(code)s is already used by %(place)s. "
                            "Choose another four-digit code."
                        )
                        % {"code": self.sms_code, "place": clash.title}
                    }
                )

    def save(self, *args, **kwargs):
        if not self.sms_code:
            # Only a copy arrives without a code (the edit form requires one).
            self.sms_code = free_sms_code()
        return super().save(*args, **kwargs)

    @property
    def help_topic_names(self) -> list[str]:
        return [t.name for t in self.help_topics.all()]

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages.all()]

    @property
    def opening_hours_list(self) -> list[dict]:
        return [
            {"weekday": h.weekday, "opens": h.opens.isoformat(), "closes": h.closes.isoformat()}
            for h in self.opening_hours.all()
        ]

    @property
    def accessibility_features(self) -> list[str]:
        features = [
            (self.step_free_access, _("Step-free access")),
            (self.hearing_loop, _("Hearing loop")),
            (self.accessible_toilet, _("Accessible toilet")),
            (self.quiet_room, _("Quiet room")),
        ]
        return [str(label) for present, label in features if present]

    @property
    def map_url(self) -> str:
        return (
            "https://www.openstreetmap.org/?mlat="
            f"{self.latitude:.5f}&mlon={self.longitude:.5f}#map=17/"
            f"{self.latitude:.5f}/{self.longitude:.5f}"
        )

    @property
    def full_address(self) -> str:
        return f"{self.street_address}, {self.postcode} {self.city}"

    @property
    def sms_keyword(self) -> str:
        return f"TID {self.sms_code}"

    @cached_property
    def organisation(self) -> "OrganisationPage | None":
        return OrganisationPage.objects.ancestor_of(self).first()

    def live_sessions(self):
        return SessionPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import hotspot_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hotspot_page_context(self))
        return context

    @path("kalender/", name="calendar")
    def calendar_feed(self, request):
        from .views import hotspot_calendar

        return hotspot_calendar(request, self)


def free_sms_code() -> str:
    """The lowest four-digit SMS code no hotspot uses yet."""
    used = set(HotspotPage.objects.values_list("sms_code", flat=True))
    for number in range(1000, 10000):
        if f"{number}" not in used:
            return f"{number}"
    raise ValidationError(_("Every four-digit SMS code is in use."))


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(Orderable):
    hotspot = ParentalKey(HotspotPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="opening_hours_open_before_close",
            )
        ]

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(_("The place must open before it closes."))


class MobileStop(Orderable):
    """Where a mobile café parks, and when."""

    hotspot = ParentalKey(HotspotPage, on_delete=models.CASCADE, related_name="stops")
    place_name = models.CharField(_("place"), max_length=80)
    street_address = models.CharField(_("street and number"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    city = models.CharField(_("town"), max_length=60)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    arrives = models.TimeField(_("arrives"))
    leaves = models.TimeField(_("leaves"))

    panels = [
        FieldPanel("place_name"),
        FieldPanel("street_address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("arrives"), FieldPanel("leaves")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("stop")
        verbose_name_plural = _("stops")


class CapacityRule(models.TextChoices):
    FIXED = "fixed", _("A fixed number of citizens per time slot")
    PER_VOLUNTEER = "per_volunteer", _("A number of citizens per volunteer on shift")


class BookingKind(models.TextChoices):
    BOOKED = "booked", _("Citizens book a time")
    DROP_IN = "drop_in", _("Drop in, no booking")


class SessionPage(KnownAncestorsMixin, Page):
    """A recurring help session at a hotspot, e.g. the IT café every Tuesday 10–12."""

    description = models.CharField(
        _("short description"),
        max_length=255,
        blank=True,
        help_text=_("E.g. 'Volunteers help you with MitID, e-Boks and your phone.'"),
    )
    recurrence = RecurrenceField(
        _("repeats"),
        help_text=_("Which days the session takes place. Add exceptions for holidays."),
    )
    starts_on = models.DateField(
        _("first date"), default=date.today, help_text=_("The first day the session runs.")
    )
    ends_on = models.DateField(
        _("last date"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it runs until further notice."),
    )
    start_time = models.TimeField(_("starts at"), default=time(10, 0))
    end_time = models.TimeField(_("ends at"), default=time(12, 0))
    booking_kind = models.CharField(
        _("booking"), max_length=10, choices=BookingKind.choices, default=BookingKind.BOOKED
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of each time slot (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    capacity_rule = models.CharField(
        _("how many citizens per time slot"),
        max_length=20,
        choices=CapacityRule.choices,
        default=CapacityRule.FIXED,
    )
    fixed_capacity = models.PositiveSmallIntegerField(
        _("citizens per time slot"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Used when the number is fixed."),
    )
    seats_per_volunteer = models.PositiveSmallIntegerField(
        _("citizens per volunteer"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Used when the number follows the volunteers on shift."),
    )
    offers_in_person = models.BooleanField(_("in person"), default=True)
    offers_video = models.BooleanField(_("video"), default=False)
    offers_phone = models.BooleanField(_("phone"), default=False)
    booking_opens_days = models.PositiveSmallIntegerField(
        _("booking opens (days before)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    booking_cutoff_minutes = models.PositiveSmallIntegerField(
        _("booking closes (minutes before the start)"),
        default=60,
        validators=[MaxValueValidator(7 * 24 * 60)],
    )
    what_to_bring = models.CharField(
        _("what to bring"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("E.g. 'Your phone, its charger and your MitID app or code display.'"),
    )
    # Derived on save from the rule, so the directory can filter by weekday in SQL.
    weekdays = models.CharField(max_length=7, blank=True, default="", editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        # django-recurrence's widget only works as a top-level panel.
        FieldPanel("recurrence"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        MultiFieldPanel(
            [
                FieldPanel("booking_kind"),
                FieldPanel("slot_minutes"),
                FieldPanel("capacity_rule"),
                FieldRowPanel([FieldPanel("fixed_capacity"), FieldPanel("seats_per_volunteer")]),
                FieldRowPanel(
                    [FieldPanel("booking_opens_days"), FieldPanel("booking_cutoff_minutes")]
                ),
            ],
            heading=_("Booking"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offers_in_person"),
                FieldPanel("offers_video"),
                FieldPanel("offers_phone"),
            ],
            heading=_("How citizens can take part"),
        ),
        FieldPanel("what_to_bring"),
    ]
    parent_page_types = ["hotspots.HotspotPage"]
    subpage_types = []
    template = "pages/hotspots/session_page.html"
    copy_form_class = CopyFormWithoutAlias

    api_fields = [
        APIField("description"),
        APIField("schedule_text"),
        APIField("rrule"),
        APIField("starts_on"),
        APIField("ends_on"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("booking_kind"),
        APIField("slot_minutes"),
        APIField("offered_modes"),
        APIField("upcoming_starts"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            errors["end_time"] = _("The session must end after it starts.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last date cannot be before the first date.")
        if not (self.offers_in_person or self.offers_video or self.offers_phone):
            errors["offers_in_person"] = _("Choose at least one way to take part.")
        if self.recurrence is None or not (self.recurrence.rrules or self.recurrence.rdates):
            errors["recurrence"] = _("Add at least one rule or date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.weekdays = schedule.weekdays_in(
            self.recurrence, starts_on=self.starts_on, today=timezone.localdate()
        )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for the breadcrumbs and the hotspot, instead of one for each.
        context["ancestors"] = self.known_ancestors()
        context["hotspot"] = context["ancestors"][-1].specific
        context["upcoming"] = [
            {"session": self, "start": start, "end": end}
            for start, end in self.upcoming(limit=8, days=42)
        ]
        return context

    @property
    def schedule_text(self) -> str:
        return schedule.describe(self.recurrence, self.start_time, self.end_time)

    @property
    def rrule(self) -> str:
        """The rule as RFC 5545 text, for feeds and Open Referral."""
        from recurrence import serialize

        return serialize(self.recurrence) if self.recurrence else ""

    @property
    def offered_modes(self) -> list[str]:
        modes = [
            ("in_person", self.offers_in_person),
            ("video", self.offers_video),
            ("phone", self.offers_phone),
        ]
        return [name for name, offered in modes if offered]

    def dates_between(self, first: date, last: date) -> list[date]:
        return schedule.occurrence_dates(
            self.recurrence, starts_on=self.starts_on, ends_on=self.ends_on, first=first, last=last
        )

    def upcoming(self, *, days: int = 28, limit: int = 5, now=None):
        """The next (start, end) pairs as aware datetimes in Europe/Copenhagen."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        result = []
        for day in self.dates_between(today, today + timedelta(days=days)):
            start = schedule.local_datetime(day, self.start_time)
            end = schedule.local_datetime(day, self.end_time)
            if end <= now:
                continue
            result.append((start, end))
            if len(result) >= limit:
                break
        return result

    @property
    def upcoming_starts(self) -> list[str]:
        return [start.isoformat() for start, _end in self.upcoming()]

    @cached_property
    def hotspot(self) -> HotspotPage:
        return HotspotPage.objects.get(pk=self.get_parent().pk)


def sms_public_number() -> str:
    return settings.SMS_PUBLIC_NUMBER
