"""The SMS catalogue, one module per language: every template (TEXTS), the names of the ways
of meeting and the weekdays, how a time and a reply deadline read, and the language's own
words for the dialog's keywords (KEYWORDS: intent -> words, matched case- and
diacritics-tolerantly by sms.dialog; Danish and English keywords work in every language).

Danish and English are the reference texts. The other languages are drafts written by the
team, not yet reviewed by a native speaker: see docs/sms-languages.md before relying on them."""

from importlib import import_module

# Danish first: the fallback for anything unknown.
CODES = ("da", "en", "ar", "fa", "uk", "pl", "tr", "so")

CATALOGUE = {code: import_module(f"{__name__}.{code}") for code in CODES}
