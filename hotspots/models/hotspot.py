"""A hotspot is a place where citizens get help: address, opening hours, stops of a mobile café."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .base import CopyFormWithoutAlias, KnownAncestorsMixin
from .organisation import (
    OrganisationPage,
)
from .snippets import (
    HelpTopic,
    Language,
    pick_translation,
    translation_language_choices,
)


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
    short_name = models.CharField(
        _("short name for text messages"),
        max_length=20,
        blank=True,
        help_text=_(
            "At most 20 characters, e.g. 'Dokk1' or 'Hovedbiblioteket'. Used in SMS. If empty, "
            "the title is shortened at a whole word."
        ),
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
        FieldPanel("short_name"),
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
        InlinePanel(
            "closures",
            heading=_("Closures"),
            label=_("closure"),
            help_text=_("No session here is offered on these dates; citizens see the reason."),
        ),
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
        InlinePanel(
            "translations",
            heading=_("The description in other languages"),
            label=_("translation"),
            help_text=_(
                "Optional. Citizens reading a language without a translation here see the "
                "Danish text, with a line telling them it is in Danish."
            ),
        ),
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

    def text_for(self, language: str | None = None) -> "HotspotText":
        """What the editor wrote, in the reader's language if an editor translated it, else in
        Danish (and then marked as Danish: the page says so, in the reader's language)."""
        translated = pick_translation(self.translations.all(), language)
        if translated is None:
            return HotspotText(self.summary, self.directions, self.body, "da")
        return HotspotText(
            translated.summary or self.summary,
            translated.directions or self.directions,
            translated.body or self.body,
            translated.language,
            danish_parts=frozenset(
                name for name in ("summary", "directions", "body") if not getattr(translated, name)
            ),
        )

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
        from .session import SessionPage  # sessions are children of hotspots: import late

        return SessionPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import hotspot_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hotspot_page_context(self))
        return context

    @path("kalender/", name="calendar")
    def calendar_feed(self, request):
        from ..calendar import calendar_response

        return calendar_response(request, self)


@dataclass(frozen=True)
class HotspotText:
    """A hotspot's description as a citizen reads it: `language` is what it is written in, and
    `danish_parts` what was left untranslated (shown in Danish)."""

    summary: str
    directions: str
    body: str
    language: str
    danish_parts: frozenset = frozenset()

    def language_of(self, part: str) -> str:
        return "da" if part in self.danish_parts else self.language


class HotspotTranslation(Orderable):
    """A hotspot's description in one citizen language, written by an editor."""

    hotspot = ParentalKey(HotspotPage, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=translation_language_choices)
    summary = models.CharField(_("short description"), max_length=200, blank=True)
    directions = models.CharField(_("how to find us"), max_length=200, blank=True)
    body = RichTextField(
        _("more about the place"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    panels = [
        FieldPanel("language"),
        FieldPanel("summary"),
        FieldPanel("directions"),
        FieldPanel("body"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["hotspot", "language"], name="hotspot_one_translation_per_language"
            )
        ]


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
