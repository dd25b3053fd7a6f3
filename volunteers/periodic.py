"""Jobs for `manage.py runperiodic`. Each is idempotent: a repeated or overlapping run is
harmless."""

from config.periodic import periodic_job


@periodic_job("volunteer_weekly_shifts")
def weekly_shifts(now) -> str:
    # Materialisation adds new dates at the end of the horizon (bulk inserts, no signals):
    # volunteers who said "every Tuesday" are put on them here.
    from .services import fill_all_weekly_series

    return f"shifts={fill_all_weekly_series(now=now)}"


@periodic_job("volunteer_gap_alerts")
def gap_alerts(now) -> str:
    from .services import alert_unstaffed_soon

    return f"alerted={alert_unstaffed_soon(now=now)}"


@periodic_job("volunteer_login_codes")
def login_codes(now) -> str:
    from .services import purge_login_codes

    return f"purged={purge_login_codes(now=now)}"


@periodic_job("volunteer_retention")
def retention(now) -> str:
    from .services import anonymise_departed_volunteers

    return f"anonymised={anonymise_departed_volunteers(now=now)}"
