"""Housekeeping jobs for `manage.py runperiodic`: the task queue's finished rows, expired
sessions, spent login attempts, the heartbeats of workers that are gone and the tasks they left
running. Idempotent, like every periodic job."""

from config.periodic import periodic_job


@periodic_job("prune_task_results")
def prune_task_results(now) -> str:
    from .services import prune_finished_task_results

    succeeded, failed = prune_finished_task_results(now=now)
    return f"succeeded={succeeded}, failed={failed}"


@periodic_job("prune_sessions")
def prune_sessions(now) -> str:
    from .services import prune_expired_sessions

    return f"sessions={prune_expired_sessions(now=now)}"


@periodic_job("prune_login_attempts")
def prune_login_attempts(now) -> str:
    from .services import prune_login_attempts

    return f"login_attempts={prune_login_attempts(now=now)}"


@periodic_job("prune_worker_heartbeats")
def prune_worker_heartbeats(now) -> str:
    from .services import prune_stale_heartbeats

    return f"heartbeats={prune_stale_heartbeats(now=now)}"


@periodic_job("fail_abandoned_tasks")
def fail_abandoned_tasks(now) -> str:
    from .services import fail_abandoned_tasks

    return f"abandoned={fail_abandoned_tasks(now=now)}"
