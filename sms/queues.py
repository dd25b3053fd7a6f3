"""Which task queue a piece of SMS work goes on, and how fast the provider may be fed.

A citizen who texts TID expects the answer while the phone is still in hand, so everything a
person is waiting for right now (inbound texts, the dialog's replies, login codes, booking
confirmations) runs on the `interactive` queue with a worker of its own. Work that can wait a
minute (reminders, crisis sends to thousands) runs on `bulk`, paced so that it never fills the
provider's own queue ahead of a reply (Twilio sends each sender's messages in order, at a fixed
rate per second)."""

INTERACTIVE = "interactive"
BULK = "bulk"

# Purposes whose texts are sent in bulk. Everything else is someone waiting for an answer.
BULK_PURPOSE_PREFIXES = ("reminder_", "crisis")


def queue_for_purpose(purpose: str) -> str:
    return BULK if (purpose or "").startswith(BULK_PURPOSE_PREFIXES) else INTERACTIVE
