from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gemeinsinn.api"
    label = "api"
    verbose_name = "API"
