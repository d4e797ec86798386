from django.apps import AppConfig


class GenderConfig(AppConfig):
    name = "rencana.gender"
    label = "gender"
    verbose_name = "Pengarusutamaan gender (PUG)"
