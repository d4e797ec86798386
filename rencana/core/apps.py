from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rencana.core"
    label = "core"
    verbose_name = "Inti"
