"""Role assignments (per pemda, optionally per OPD), personal API tokens, login failures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.roles import ROLE_LABELS, Role

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="role_assignments")
    opd = models.ForeignKey(
        "regions.Opd", null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("peran"), max_length=20, choices=ROLE_CHOICES)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pemda", "role"],
                condition=models.Q(opd__isnull=True),
                name="role_unique_pemda_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "pemda", "role", "opd"],
                condition=models.Q(opd__isnull=False),
                name="role_unique_per_opd",
            ),
        ]
        indexes = [models.Index(fields=["user", "pemda"], name="role_user_pemda")]

    def __str__(self) -> str:
        where = f"{self.pemda_id}/{self.opd_id}" if self.opd_id else f"{self.pemda_id}"
        return f"{self.user_id} {self.role} @ {where}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    nama = models.CharField(_("nama token"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(null=True, blank=True)
    dicabut = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dibuat"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"

    @property
    def aktif(self) -> bool:
        return self.dicabut is None


class LoginFailure(models.Model):
    """A failed login; recent rows throttle further attempts (shared by every web worker)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at}"
