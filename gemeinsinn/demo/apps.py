from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gemeinsinn.demo"
    label = "demo"
    verbose_name = "Demo data"
