"""The "Background work" report in the Wagtail admin (Reports menu, superusers only): each
periodic job's last run and outcome, the task queues and the workers' heartbeats."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors


def background_work(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    now = timezone.now()
    heartbeats = selectors.worker_heartbeats()
    last_run = selectors.last_periodic_run()
    queues = [
        {
            "name": name,
            "state": state,
            "limit": selectors.queue_wait_limit(name).total_seconds(),
            "late": state.oldest_ready_seconds > selectors.queue_wait_limit(name).total_seconds(),
        }
        for name, state in selectors.queue_states(now=now).items()
    ]
    live = selectors.live_workers_per_queue(now=now, heartbeats=heartbeats)
    for queue in queues:
        queue["workers"] = live.get(queue["name"], 0)
    return render(
        request,
        "pages/ops/background_work.html",
        {
            "page_title": _("Background work"),
            "header_icon": "cogs",
            "jobs": selectors.periodic_job_records(),
            "periodic_stale": last_run is None
            or now - last_run > timedelta(seconds=settings.READINESS_PERIODIC_MAX_AGE),
            "last_periodic_run": last_run,
            "queues": queues,
            "workers": [
                {"heartbeat": h, "alive": selectors.is_alive(h, now=now)} for h in heartbeats
            ],
        },
    )
