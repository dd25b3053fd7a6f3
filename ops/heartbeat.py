"""A task worker's heartbeat: a thread that writes the worker's WorkerHeartbeat row every
HEARTBEAT_INTERVAL seconds and removes it when the worker stops. The metrics and the admin
count a worker as alive while its row is younger than HEARTBEAT_TIMEOUT."""

import logging
import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = timedelta(seconds=15)
HEARTBEAT_TIMEOUT = timedelta(seconds=60)


class Heartbeat(threading.Thread):
    def __init__(self, *, worker_id: str, queues: str, interval: timedelta = HEARTBEAT_INTERVAL):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.queues, self.interval = worker_id, queues, interval
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while True:
                self._beat()
                if self._stopping.wait(self.interval.total_seconds()):
                    break
            services.stop_beating(worker_id=self.worker_id)
        except Exception:  # noqa: BLE001 - a heartbeat must never take the worker down
            logger.warning("Could not remove the heartbeat of worker %s", self.worker_id)
        finally:
            connection.close()

    def _beat(self) -> None:
        try:
            services.beat(
                worker_id=self.worker_id,
                queues=self.queues,
                started_at=self.started_at,
                now=timezone.now(),
            )
        except Exception:  # noqa: BLE001 - e.g. the database restarting: try again next beat
            logger.warning("Worker %s could not write its heartbeat", self.worker_id, exc_info=True)
            connection.close()

    def stop(self, timeout: float = 5) -> None:
        self._stopping.set()
        self.join(timeout)
