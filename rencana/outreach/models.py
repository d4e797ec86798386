"""Evaluation of outreach events (sosialisasi), e.g. the Kota Bekasi licensing outreach to street vendors.

- *Kegiatan* (`Event`): title, date, place, agenda, speakers, organiser.
- *Peserta* (`Participant`): who came (attendance); personal data masked in exports.
- *Instrumen* (`Item`): yes/no knowledge statements asked before and after, and 1–5 Likert statements
  (satisfaction) asked after.
- *Jawaban* (`Response`): one participant's answer to one item at one moment (sebelum / sesudah); paper
  forms typed by staff or a phone form opened by link.
- *Agregat* (`AggregateResult`): when only percentages or means are known (as in the published study), the
  item's before/after percentages or its Likert mean are entered as such.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.regions.models import Pemda


class Event(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    judul = models.CharField(_("judul kegiatan"), max_length=255)
    tanggal = models.DateField(_("tanggal"))
    tempat = models.CharField(_("tempat"), max_length=255, blank=True)
    penyelenggara = models.CharField(_("penyelenggara"), max_length=255, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    narasumber = models.TextField(_("narasumber"), blank=True)
    sasaran = models.CharField(_("sasaran peserta"), max_length=255, blank=True)
    # Secret of the phone form link (stored hashed); empty = no phone form.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    AUDITED_FIELDS = ("judul", "tanggal", "tempat", "penyelenggara", "agenda", "narasumber", "sasaran")

    class Meta:
        ordering = ["pemda_id", "-tanggal", "-id"]
        verbose_name = _("kegiatan sosialisasi")
        verbose_name_plural = _("kegiatan sosialisasi")

    def __str__(self) -> str:
        return self.judul


class Participant(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    kegiatan = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="peserta")
    nomor = models.PositiveIntegerField(_("nomor peserta"))
    nama = models.CharField(_("nama"), max_length=150, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    usaha = models.CharField(_("usaha/pekerjaan"), max_length=200, blank=True)
    hadir = models.BooleanField(_("hadir"), default=True)

    class Meta:
        ordering = ["kegiatan_id", "nomor"]
        verbose_name = _("peserta sosialisasi")
        verbose_name_plural = _("peserta sosialisasi")
        constraints = [
            models.UniqueConstraint(fields=["kegiatan", "nomor"], name="outreach_participant_nomor")
        ]

    def __str__(self) -> str:
        return self.nama or f"#{self.nomor}"


class ItemKind(models.TextChoices):
    PENGETAHUAN = "pengetahuan", _("Pengetahuan (ya/tidak, sebelum dan sesudah)")
    LIKERT = "likert", _("Kepuasan (skala 1–5)")


class Item(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    kegiatan = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="butir")
    jenis = models.CharField(_("jenis"), max_length=12, choices=ItemKind.choices)
    nomor = models.PositiveIntegerField(_("nomor"))
    pernyataan = models.TextField(_("pernyataan"))

    class Meta:
        ordering = ["kegiatan_id", "jenis", "nomor"]
        verbose_name = _("butir instrumen")
        verbose_name_plural = _("butir instrumen")
        constraints = [
            models.UniqueConstraint(fields=["kegiatan", "jenis", "nomor"], name="outreach_item_nomor"),
        ]

    def __str__(self) -> str:
        return f"{self.nomor}. {self.pernyataan[:60]}"


class Moment(models.TextChoices):
    SEBELUM = "sebelum", _("Sebelum")
    SESUDAH = "sesudah", _("Sesudah")


class Response(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    peserta = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="jawaban")
    butir = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="jawaban")
    saat = models.CharField(_("saat"), max_length=8, choices=Moment.choices)
    # Knowledge: 1 = ya, 0 = tidak. Likert: 1..5.
    nilai = models.PositiveSmallIntegerField(_("nilai"))
    sumber = models.CharField(_("cara masuk"), max_length=10, default="kertas")  # kertas | ponsel
    dicatat = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["butir_id", "peserta_id", "saat"]
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(fields=["peserta", "butir", "saat"], name="outreach_response_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.peserta_id}/{self.butir_id}/{self.saat}"


class AggregateResult(models.Model):
    """Published figures when individual answers are not available."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    butir = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="agregat")
    sebelum_persen = models.DecimalField(
        _("sebelum (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sesudah_persen = models.DecimalField(
        _("sesudah (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rata_rata = models.DecimalField(
        _("rata-rata (1–5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    n = models.PositiveIntegerField(_("jumlah responden"), null=True, blank=True)
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("hasil agregat")
        verbose_name_plural = _("hasil agregat")

    def __str__(self) -> str:
        return f"agregat {self.butir_id}"
