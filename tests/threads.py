"""Real threads for the concurrency tests: every function starts at the same instant, each in its
own thread with its own database connection and transaction, as gunicorn workers would, on
whichever database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""

import threading
from collections import Counter

from django.db import connection


def run_together(functions, *, expected=()) -> tuple[Counter, list[str]]:
    """Counts what came back: each function's return value, or the class name of the exception
    it raised. Exceptions that are not `expected` (e.g. the "full" error of a lost race) are
    also listed, with their message, as errors: a race must never end in one of those."""
    barrier = threading.Barrier(len(functions))
    outcomes = Counter()
    errors = []
    lock = threading.Lock()

    def run(function):
        try:
            barrier.wait(timeout=30)
            result = function()
        except Exception as error:  # noqa: BLE001 - the outcome is what we count
            result = type(error).__name__
            if not isinstance(error, expected):
                with lock:
                    errors.append(repr(error))
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors
