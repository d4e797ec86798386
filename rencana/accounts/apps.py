from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rencana.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"
