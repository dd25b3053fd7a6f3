from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for `make run` (seed_demo, seed_demo_volunteers). It sits on top of every
    other app and nothing imports it."""

    name = "demo"
    verbose_name = "Demo content"
