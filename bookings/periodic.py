"""Jobs for `manage.py runperiodic`. Each is idempotent: a repeated or overlapping run is
harmless."""

from config.periodic import periodic_job


@periodic_job("materialise")
def materialise(now) -> str:
    from .materialise import materialise_all

    stats = materialise_all(now=now)
    return ", ".join(f"{key}={value}" for key, value in sorted(stats.items())) or "nothing to do"


@periodic_job("waitlist_offers")
def waitlist_offers(now) -> str:
    from .services import expire_waitlist_offers

    return f"expired={expire_waitlist_offers(now=now)}"


@periodic_job("anonymise_bookings")
def anonymise_bookings(now) -> str:
    from .services import anonymise_expired_bookings

    return f"anonymised={anonymise_expired_bookings(now=now)}"


@periodic_job("prune_request_records")
def prune_request_records(now) -> str:
    from .ratelimit import prune_expired_counters
    from .services import prune_expired_submissions

    counters = prune_expired_counters(now)
    submissions = prune_expired_submissions(now=now)
    return f"rate_limit_counters={counters}, submissions={submissions}"
