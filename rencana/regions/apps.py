from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "rencana.regions"
    label = "regions"
    verbose_name = "Wilayah, pemda dan OPD"
