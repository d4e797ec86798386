from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "rencana.planning"
    label = "planning"
    verbose_name = "Perencanaan"
