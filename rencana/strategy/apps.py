from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "rencana.strategy"
    label = "strategy"
    verbose_name = "Analisis strategis (SWOT)"
