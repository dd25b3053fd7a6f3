"""Development: DEBUG on, an insecure key is fine, SMS printed to the console."""

import os

from .base import *  # noqa: F403
from .base import LOGGING, PUBLIC_BASE_URL, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Links in the SMS printed to the terminal are absolute, so they can be clicked: `make run`
# passes the address it serves on.
PUBLIC_BASE_URL = PUBLIC_BASE_URL or "http://{}:{}".format(
    os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
)
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL

# runserver prints a line per request itself, and the task worker's line per task would bury
# what `make run` prints (the demo logins): failures only.
LOGGING["loggers"]["digihjaelp.requests"] = {"level": "WARNING"}
LOGGING["loggers"]["digihjaelp.tasks"] = {"level": "WARNING"}
