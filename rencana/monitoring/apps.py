from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "rencana.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring dan evaluasi"
