"""Quarterly realization (e-Monev) of a pemda's plan, its verification, evidence and decisions.

- *Realisasi* (`Realization`): what an OPD reports for one plan node (usually a sub-kegiatan of the
  year's RKPD) for one quarter (triwulan I-IV): budget spent in the quarter, supporting and hindering
  factors, follow-up, and a value per indicator (`RealizationValue`). Values follow the indicator's
  aggregation rule: for a *kumulatif* indicator the quarter's own amount, otherwise the value at the
  end of the quarter.
- *Alur* (workflow): draft -> submitted -> verified, or returned (with a reason) -> submitted again.
  A verified entry is locked; a correction is a new revision (`revisi_ke` + 1) that goes through the
  workflow again while the verified one stays as it was. The current entry of a (node, year,
  quarter) is the one with the highest revision.
- *Batas waktu* (`QuarterDeadline`): the date by which each OPD must have submitted a quarter.
- *Keputusan* (`ProgramDecision`): the planner's sustain / modify / stop decision on a program or
  kegiatan, with the advice it followed or overrode, for the next RKPD.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.planning.models import Indicator, PlanNode
from rencana.regions.models import Opd, Pemda


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Terverifikasi")


class Realization(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="realisasi")
    # None for Bappeda's own entries on objectives (sasaran) and goals of the RPJMD.
    opd = models.ForeignKey(
        Opd, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"))
    revisi_ke = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    anggaran = models.DecimalField(
        _("realisasi anggaran triwulan (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    faktor_pendukung = models.TextField(_("faktor pendukung"), blank=True)
    faktor_penghambat = models.TextField(_("faktor penghambat"), blank=True)
    tindak_lanjut = models.TextField(_("tindak lanjut yang diusulkan"), blank=True)
    alasan_pengembalian = models.TextField(_("alasan pengembalian"), blank=True)
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    diverifikasi_pada = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "status",
        "anggaran",
        "faktor_pendukung",
        "faktor_penghambat",
        "tindak_lanjut",
        "alasan_pengembalian",
        "revisi_ke",
    )

    class Meta:
        ordering = ["pemda_id", "tahun", "triwulan", "node_id", "-revisi_ke"]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "tahun", "triwulan", "revisi_ke"], name="realization_unique_revision"
            ),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="realization_triwulan_1_4"
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "tahun", "triwulan", "status"], name="realization_pemda_period"),
            models.Index(fields=["opd", "tahun", "triwulan"], name="realization_opd_period"),
        ]

    def __str__(self) -> str:
        return f"{self.node} TW{self.triwulan} {self.tahun}"

    @property
    def terkunci(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.VERIFIED)


class RealizationValue(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    realisasi = models.ForeignKey(Realization, on_delete=models.CASCADE, related_name="nilai")
    indikator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="realisasi")
    nilai = models.DecimalField(_("nilai"), max_digits=20, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["realisasi", "indikator"], name="realizationvalue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indikator_id}: {self.nilai}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name is random; the original name is kept in a column (never trusted as a path).
    return f"bukti/{instance.pemda_id}/{instance.sha256[:2]}/{instance.sha256}{instance.ekstensi}"


class Evidence(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    realisasi = models.ForeignKey(Realization, on_delete=models.CASCADE, related_name="bukti")
    berkas = models.FileField(_("berkas"), upload_to=evidence_path, max_length=255)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    jenis_isi = models.CharField(_("jenis"), max_length=50)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    ekstensi = models.CharField(max_length=8)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["realisasi_id", "id"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return self.nama_asli


class QuarterDeadline(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"))
    batas = models.DateField(_("batas waktu"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pemda", "tahun", "triwulan"], name="deadline_unique_quarter")
        ]

    def __str__(self) -> str:
        return f"TW{self.triwulan} {self.tahun}: {self.batas}"


class Decision(models.TextChoices):
    LANJUTKAN = "lanjutkan", _("Lanjutkan")
    MODIFIKASI = "modifikasi", _("Modifikasi")
    HENTIKAN = "hentikan", _("Hentikan")


class ProgramDecision(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="keputusan")
    tahun = models.PositiveSmallIntegerField(_("tahun evaluasi"))
    saran = models.CharField(_("saran sistem"), max_length=20, blank=True)
    keputusan = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices)
    catatan = models.TextField(_("alasan keputusan"), blank=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("saran", "keputusan", "catatan")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "tahun"], name="decision_unique_node_year")]

    def __str__(self) -> str:
        return f"{self.node} {self.tahun}: {self.keputusan}"
