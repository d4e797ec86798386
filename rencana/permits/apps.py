from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "rencana.permits"
    label = "permits"
    verbose_name = "Pendampingan dan pelacakan izin"
