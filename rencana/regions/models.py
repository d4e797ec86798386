"""Kemendagri regions, the tenant (Pemda) and its work units (Opd)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel


class RegionLevel(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Region(models.Model):
    """One row of the Kemendagri code list (kode wilayah), e.g. 35.75 Kota Pasuruan."""

    kode = models.CharField(_("kode"), max_length=13, primary_key=True)
    nama = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="children",
    )
    # Lower-case name without administrative prefix, for search ("kabupaten kotabaru" -> "kotabaru").
    nama_cari = models.CharField(max_length=120, db_index=True)
    edisi = models.CharField(_("edisi"), max_length=10)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class RegionBoundary(models.Model):
    """Simplified boundary (GeoJSON geometry, WGS84) of a kabupaten/kota or kecamatan."""

    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="boundary"
    )
    geometry = models.JSONField()
    lat = models.FloatField()
    lng = models.FloatField()

    def __str__(self) -> str:
        return f"batas {self.region_id}"


class ReferenceDataLoad(models.Model):
    """What reference data set and edition is loaded, and what the last load changed."""

    dataset = models.CharField(max_length=40, unique=True)
    edisi = models.CharField(max_length=20)
    checksum = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dataset} {self.edisi}"


class PemdaJenis(models.TextChoices):
    PROVINSI = "provinsi", _("Pemerintah Provinsi")
    KABUPATEN = "kabupaten", _("Pemerintah Kabupaten")
    KOTA = "kota", _("Pemerintah Kota")


class Pemda(VersionedModel):
    """A regional government: the tenant of every other record."""

    kode = models.CharField(_("kode wilayah"), max_length=5, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("wilayah")
    )
    nama = models.CharField(_("nama"), max_length=150)
    jenis = models.CharField(_("jenis"), max_length=10, choices=PemdaJenis.choices)
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran berjalan"), default=2026)
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("pemda")
        verbose_name_plural = _("pemda")

    def __str__(self) -> str:
        return self.nama


class Opd(VersionedModel):
    """A work unit (perangkat daerah: dinas, badan, kecamatan office) of a pemda."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="opds")
    kode = models.CharField(_("kode"), max_length=40)
    nama = models.CharField(_("nama"), max_length=200)
    singkatan = models.CharField(_("singkatan"), max_length=40, blank=True)
    urusan = models.CharField(_("urusan/bidang yang diampu"), max_length=255, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("kode", "nama", "singkatan", "urusan", "aktif")

    class Meta:
        ordering = ["pemda_id", "kode"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        constraints = [models.UniqueConstraint(fields=["pemda", "kode"], name="opd_unique_kode_per_pemda")]
        indexes = [models.Index(fields=["pemda", "aktif", "nama"], name="opd_pemda_aktif_nama")]

    def __str__(self) -> str:
        return self.nama


class RegionSearchToken(models.Model):
    """One word of a region's search key (`Region.nama_cari`), for index-only prefix search.

    A contains-scan of 91,599 names takes tens of milliseconds per word (measured, see
    docs/benchmarks.md); a prefix range on this indexed column answers in about a millisecond.
    Filled by `rencana regions load` (regions/loading.py); `rank` is the level tier (0 provinsi,
    1 kabupaten/kota, 2 kecamatan, 3 desa/kelurahan) so ranking needs no join.
    """

    token = models.CharField(max_length=40)
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="search_tokens"
    )
    rank = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["token", "region"], name="region_search_token")]

    def __str__(self) -> str:
        return f"{self.token} -> {self.region_id}"
