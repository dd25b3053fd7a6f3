"""Forms of the citizen booking journey and the staff screens.

The forms only check and clean what people type; every rule about seats, cut-offs and modes is
the booking engine's (bookings.services), so the web, SMS and staff channels behave alike."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hotspots.models import HelpTopic

from .models import StaffCancelReason
from .phones import InvalidPhone, normalise_phone
from .validators import add_cpr_guard, reject_cpr_number

MODE_LABELS = {
    "in_person": _("Meet in person"),
    "video": _("Video call"),
    "phone": _("Phone call"),
}


def mode_choices(modes: list[str]) -> list[tuple[str, str]]:
    return [(mode, MODE_LABELS[mode]) for mode in modes if mode in MODE_LABELS]


class PhoneField(forms.CharField):
    """A mobile number as people write it; cleaned to E.164 by bookings.phones."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault(
            "help_text",
            _("We send the confirmation by SMS. A number from abroad starts with +."),
        )
        kwargs.setdefault(
            "error_messages",
            {"required": _("Please write your mobile number, so we can send you the time.")},
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel", "class": "form-input", "type": "tel"}
        )
        self.widget.input_type = "tel"

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except InvalidPhone as error:
            raise ValidationError(str(error.message), code="invalid_phone") from error


def _first_name_field():
    field = forms.CharField(
        label=_("First name or nickname"),
        max_length=40,
        help_text=_("So the helpers know what to call you."),
        error_messages={"required": _("Please write a first name or a nickname.")},
        validators=[reject_cpr_number],
    )
    field.widget.attrs.update({"autocomplete": "given-name", "class": "form-input"})
    return field


class _StyledForm(forms.Form):
    """DKFDS classes and aria-describedby on every widget, so labels, hints and errors are
    read out together by screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_cpr_guard(self)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.Textarea | forms.TextInput | forms.NumberInput):
                widget.attrs.setdefault("class", "form-input")
            if field.help_text and not isinstance(widget, forms.RadioSelect):
                widget.attrs["aria-describedby"] = f"{self.auto_id % name}-hint"

    def full_clean(self):
        # Mark invalid fields only after validation: touching self.errors in __init__ would
        # validate before subclasses finish setting up their fields.
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field.widget, forms.RadioSelect):
                continue
            described = [f"{self.auto_id % name}-error"]
            if field.help_text:
                described.insert(0, f"{self.auto_id % name}-hint")
            field.widget.attrs["aria-describedby"] = " ".join(described)
            field.widget.attrs["aria-invalid"] = "true"


class BookingForm(_StyledForm):
    """What a citizen types to take a seat: name, mobile number, topic, note, mode."""

    first_name = _first_name_field()
    phone = PhoneField()
    help_topic = forms.ModelChoiceField(
        label=_("What do you need help with?"),
        queryset=HelpTopic.objects.none(),
        required=False,
        empty_label=_("Something else, or I am not sure"),
    )
    note = forms.CharField(
        label=_("Anything the helper should know? (optional)"),
        help_text=_("A few words are enough. Never write your CPR number."),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_cpr_number],
    )
    mode = forms.ChoiceField(
        label=_("How do you want to meet?"),
        widget=forms.RadioSelect,
        required=True,
        error_messages={"required": _("Please choose how you want to meet.")},
    )

    def __init__(self, *args, topics=None, modes=("in_person",), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_topic"].queryset = (
            topics if topics is not None else HelpTopic.objects.all()
        )
        self.modes = list(modes)
        if len(self.modes) > 1:
            self.fields["mode"].choices = mode_choices(self.modes)
            # Pre-select the first way offered (in person, as a rule): one less thing to do.
            self.fields["mode"].initial = self.modes[0]
        else:
            # One way to take part: nothing to ask.
            del self.fields["mode"]

    def cleaned_mode(self) -> str:
        return self.cleaned_data.get("mode") or (self.modes[0] if self.modes else "in_person")


class WaitlistForm(_StyledForm):
    first_name = _first_name_field()
    phone = PhoneField(
        help_text=_(
            "We send you an SMS if a seat becomes free. A number from abroad starts with +."
        )
    )


class MoveForm(forms.Form):
    """Pick another free time of the same session. The choices are the free slots, offered as
    radio buttons so it works without JavaScript."""

    slot = forms.TypedChoiceField(
        label=_("Choose a new time"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a new time.")},
    )

    def __init__(self, *args, slots=(), **kwargs):
        from django.utils import formats, timezone

        from hotspots.schedule import format_clock

        super().__init__(*args, **kwargs)
        choices = []
        for slot in slots:
            start = timezone.localtime(slot.starts_at)
            label = f"{formats.date_format(start, 'l j. F')} {format_clock(start.time())}"
            choices.append((slot.pk, label))
        self.fields["slot"].choices = choices


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("How do you want to meet?"), widget=forms.RadioSelect)

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = mode_choices(list(modes))


class StaffBookingForm(BookingForm):
    """Booking on a citizen's behalf (e.g. when they phone in): the same fields as the web."""

    first_name = _first_name_field()
    language = forms.ChoiceField(
        label=_("Language of the SMS"),
        choices=[("da", "Dansk"), ("en", "English")],
        initial="da",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = False
        self.fields["first_name"].help_text = _("The citizen's first name or nickname.")
        self.fields["phone"].help_text = _(
            "The citizen's mobile number, so they get the SMS. Leave empty if they have none."
        )
        self.fields["note"].help_text = _("Never write a CPR number.")


class StaffCancelForm(forms.Form):
    """Staff say why before a booking is cancelled; the code stays with staff (not in the SMS)."""

    reason = forms.ChoiceField(
        label=_("Why is the booking cancelled?"),
        choices=StaffCancelReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the booking is cancelled.")},
        help_text=_("Only staff see the reason. The citizen's SMS says only that it is cancelled."),
    )
