from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "rencana.outreach"
    label = "outreach"
    verbose_name = "Evaluasi sosialisasi"
