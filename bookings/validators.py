"""Guards for free text. A CPR number must never land in our database: citizens sometimes type
it into any box they see, so we refuse it kindly and explain why. Texts we cannot refuse (an
inbound SMS) keep their meaning with the number masked. What counts as a CPR number, however it
is typed, is decided in one place: ops/cpr.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ops.cpr import CPR_MASK, contains_cpr_number, mask_cpr_numbers, normalise_for_cpr_check

__all__ = [
    "CPR_MASK",
    "CPR_MESSAGE",
    "add_cpr_guard",
    "contains_cpr_number",
    "mask_cpr_numbers",
    "normalise_for_cpr_check",
    "reject_cpr_number",
]

CPR_MESSAGE = _(
    "Please do not write your CPR number here. We do not need it, and it is safer not to "
    "share it. Remove it and try again."
)


def reject_cpr_number(text) -> None:
    if contains_cpr_number(text):
        raise ValidationError(CPR_MESSAGE, code="cpr_number")


def add_cpr_guard(
    form, *, skip=("phone", "password", "password1", "password2", "code", "recurrence")
) -> None:
    """Refuse CPR numbers in every free-text field of a form: each CharField that is not a
    phone number, a password, a code or a recurrence rule gets the validator (once)."""
    from django import forms

    for name, field in form.fields.items():
        if name in skip or not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
            continue
        if getattr(field.widget, "input_type", "") == "tel":
            continue
        if reject_cpr_number not in field.validators:
            field.validators = [*field.validators, reject_cpr_number]
