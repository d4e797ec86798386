"""Permit assistance and tracking (field cases 4 and 5): community-forestry (HKm) applications of farmer
groups and micro-business NIB registration.

- *Jenis izin* (`PermitType`): one version of a permit type; its stages, transitions, who acts, required
  documents per stage, service-level days and legal basis are data (`definisi`, checked by
  `permits.types`). Editing a type makes a new version; an application keeps the version it started with.
- *Pemohon*: a farmer group (`FarmerGroup` + `GroupMember`, NIK masked everywhere except to authorised
  officers) or a micro business (`MicroBusiness`).
- *Permohonan* (`Application`): the guided application with a public tracking code, its answers (`data`),
  documents (`ApplicationDocument`), managed-area map (`AreaMap`), and its history (`StageEvent`), which
  also gives the service-level clocks.
- *Lapisan kawasan hutan* (`ForestLayer`): the forest-area layer an officer uploads for map checks.
- *Pengaduan* (`Complaint`): anyone (anonymous allowed) reporting a request for money; routed to the
  Inspektorat.
- *Rekap* (`RecapImport` + `RecapRow`): aggregate tables per kabupaten such as the Lampung 2005 table,
  imported with reconciliation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.regions.models import Pemda, Region


class PermitType(models.Model):
    kode = models.CharField(_("kode"), max_length=20)
    versi = models.PositiveIntegerField(_("versi"), default=1)
    nama = models.CharField(_("nama"), max_length=200)
    dasar_hukum = models.TextField(_("dasar hukum"), blank=True)
    # {"stages": [{"kode", "nama", "pelaku", "sla_hari", "dokumen": [{"kode", "nama", "wajib"}]}],
    #  "transitions": [{"dari", "ke", "aksi", "label", "pelaku", "alasan_wajib"}], "awal": "...", ...}
    definisi = models.JSONField(default=dict)
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kode", "-versi"]
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        constraints = [models.UniqueConstraint(fields=["kode", "versi"], name="permittype_unique_version")]

    def __str__(self) -> str:
        return f"{self.nama} (v{self.versi})"


class Sex(models.TextChoices):
    P = "P", _("Perempuan")
    L = "L", _("Laki-laki")


class MemberRole(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    ANGGOTA = "anggota", _("Anggota")


class FarmerGroup(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama kelompok"), max_length=200)
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_constraint=False, verbose_name=_("desa/pekon")
    )
    ketua = models.CharField(_("ketua"), max_length=150, blank=True)
    tanggal_bentuk = models.DateField(_("tanggal dibentuk"), null=True, blank=True)
    luas_dinyatakan = models.DecimalField(
        _("luas garapan dinyatakan (ha)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    kawasan = models.CharField(_("kawasan hutan"), max_length=200, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    AUDITED_FIELDS = ("nama", "desa", "ketua", "tanggal_bentuk", "luas_dinyatakan", "kawasan")

    class Meta:
        ordering = ["pemda_id", "nama"]
        verbose_name = _("kelompok tani")
        verbose_name_plural = _("kelompok tani")

    def __str__(self) -> str:
        return self.nama


class GroupMember(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    kelompok = models.ForeignKey(FarmerGroup, on_delete=models.CASCADE, related_name="anggota")
    nama = models.CharField(_("nama"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    peran = models.CharField(
        _("peran"), max_length=12, choices=MemberRole.choices, default=MemberRole.ANGGOTA
    )
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        ordering = ["kelompok_id", "id"]
        verbose_name = _("anggota kelompok")
        verbose_name_plural = _("anggota kelompok")
        constraints = [models.UniqueConstraint(fields=["kelompok", "nik"], name="member_unique_nik_in_group")]
        indexes = [models.Index(fields=["pemda", "nik"], name="member_pemda_nik")]

    def __str__(self) -> str:
        return self.nama


class MicroBusiness(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    nama_usaha = models.CharField(_("nama usaha"), max_length=200)
    pemilik = models.CharField(_("pemilik"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True)
    lokasi = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("lokasi (kelurahan/desa)"),
    )
    alamat = models.CharField(_("alamat/tempat berjualan"), max_length=300, blank=True)
    pasar = models.CharField(_("pasar"), max_length=200, blank=True)
    modal = models.DecimalField(_("modal usaha (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    AUDITED_FIELDS = ("nama_usaha", "pemilik", "nik", "telepon", "kbli", "lokasi", "alamat", "pasar", "modal")

    class Meta:
        ordering = ["pemda_id", "nama_usaha"]
        verbose_name = _("usaha mikro")
        verbose_name_plural = _("usaha mikro")

    def __str__(self) -> str:
        return self.nama_usaha


class KbliItem(models.Model):
    """Reference data: KBLI 2020 codes (a shipped subset, see permits/data/PROVENANCE.md)."""

    kode = models.CharField(_("kode"), max_length=5, primary_key=True)
    judul = models.CharField(_("judul"), max_length=300)
    uraian = models.TextField(_("uraian"), blank=True)
    cari = models.TextField(blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("KBLI")
        verbose_name_plural = _("KBLI")

    def __str__(self) -> str:
        return f"{self.kode} {self.judul}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    PROSES = "proses", _("Diproses")
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")


class Application(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    jenis = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="permohonan")
    kode_lacak = models.CharField(_("kode lacak"), max_length=20, unique=True)
    kelompok = models.ForeignKey(
        FarmerGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="permohonan"
    )
    usaha = models.ForeignKey(
        MicroBusiness, null=True, blank=True, on_delete=models.PROTECT, related_name="permohonan"
    )
    tahap = models.CharField(_("tahap"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    tahap_sejak = models.DateTimeField(_("di tahap ini sejak"))
    # The wizard's answers by field name (work plan, area description, ...).
    data = models.JSONField(default=dict, blank=True)
    luas_dinyatakan = models.DecimalField(
        _("luas dimohon (ha)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    pendamping = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pendamping"),
    )
    pemohon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("akun pemohon"),
    )
    jadwal_verifikasi_lapangan = models.DateField(_("jadwal verifikasi lapangan"), null=True, blank=True)
    alasan_keputusan = models.TextField(_("alasan keputusan"), blank=True)
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "tahap",
        "status",
        "data",
        "luas_dinyatakan",
        "pendamping",
        "jadwal_verifikasi_lapangan",
        "alasan_keputusan",
    )

    class Meta:
        ordering = ["pemda_id", "-dibuat"]
        verbose_name = _("permohonan izin")
        verbose_name_plural = _("permohonan izin")
        indexes = [models.Index(fields=["pemda", "tahap"], name="application_pemda_tahap")]

    def __str__(self) -> str:
        return self.kode_lacak


class ApplicationDocument(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    permohonan = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="dokumen")
    kode_dokumen = models.CharField(_("dokumen"), max_length=40)
    berkas = models.FileField(_("berkas"), upload_to="izin/")
    nama_berkas = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    ukuran = models.PositiveIntegerField(default=0)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["permohonan_id", "kode_dokumen", "-diunggah"]
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")

    def __str__(self) -> str:
        return f"{self.permohonan_id} {self.kode_dokumen}"


class StageEvent(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    permohonan = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="riwayat")
    dari = models.CharField(_("dari tahap"), max_length=40, blank=True)
    ke = models.CharField(_("ke tahap"), max_length=40)
    aksi = models.CharField(_("aksi"), max_length=40)
    alasan = models.TextField(_("alasan/catatan"), blank=True)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pada = models.DateTimeField(_("pada"))

    class Meta:
        ordering = ["permohonan_id", "pada", "id"]
        verbose_name = _("riwayat tahap")
        verbose_name_plural = _("riwayat tahap")

    def __str__(self) -> str:
        return f"{self.permohonan_id}: {self.dari} -> {self.ke}"


class AreaMap(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    permohonan = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="peta")
    # GeoJSON geometry (Polygon or MultiPolygon), WGS84 longitude/latitude.
    geometri = models.JSONField()
    luas_ha = models.DecimalField(_("luas terhitung (ha)"), max_digits=14, decimal_places=4)
    nama_berkas = models.CharField(max_length=255, blank=True)
    format_berkas = models.CharField(max_length=20, blank=True)
    # Findings of the last check: {"tumpang_tindih": [{"kode_lacak", "luas_ha"}], "di_luar_kawasan_ha": ...}
    pemeriksaan = models.JSONField(default=dict, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peta areal kelola")
        verbose_name_plural = _("peta areal kelola")

    def __str__(self) -> str:
        return f"peta {self.permohonan_id}"


class ForestLayer(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama lapisan"), max_length=200)
    geometri = models.JSONField()
    luas_ha = models.DecimalField(_("luas (ha)"), max_digits=14, decimal_places=4, default=0)
    aktif = models.BooleanField(_("aktif"), default=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pemda_id", "-diunggah"]
        verbose_name = _("lapisan kawasan hutan")
        verbose_name_plural = _("lapisan kawasan hutan")

    def __str__(self) -> str:
        return self.nama


class ComplaintStatus(models.TextChoices):
    BARU = "baru", _("Baru")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Ditindaklanjuti")
    SELESAI = "selesai", _("Selesai")


class Complaint(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    permohonan = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="pengaduan"
    )
    kode_lacak = models.CharField(_("kode lacak (jika ada)"), max_length=20, blank=True)
    isi = models.TextField(_("isi pengaduan"))
    nama = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    kontak = models.CharField(_("kontak pelapor"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.BARU
    )
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pemda_id", "-dibuat"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")

    def __str__(self) -> str:
        return f"pengaduan {self.pk}"


class RecapImport(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    judul = models.CharField(_("judul"), max_length=255)
    tahun = models.PositiveSmallIntegerField(_("tahun data"), null=True, blank=True)
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)
    nama_berkas = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The reconciliation report: [{"baris", "kolom", "jenis", "pesan"}] (warnings only: errors reject).
    masalah = models.JSONField(default=list, blank=True)
    diimpor_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diimpor = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pemda_id", "-diimpor"]
        verbose_name = _("rekap kelompok HKm")
        verbose_name_plural = _("rekap kelompok HKm")

    def __str__(self) -> str:
        return self.judul


class RecapRow(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    rekap = models.ForeignKey(RecapImport, on_delete=models.CASCADE, related_name="baris")
    nomor = models.PositiveSmallIntegerField(_("baris"))
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=150)
    wilayah = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    izin_hkm = models.PositiveIntegerField(_("berizin HKm"), null=True, blank=True)
    ihhbk = models.PositiveIntegerField(_("IHHBK"), null=True, blank=True)
    dalam_proses = models.PositiveIntegerField(_("dalam proses"), null=True, blank=True)
    total = models.PositiveIntegerField(_("total kelompok"), null=True, blank=True)
    anggota_kk = models.PositiveIntegerField(_("anggota (KK)"), null=True, blank=True)
    luas_ha = models.DecimalField(
        _("luas garapan (ha)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    adalah_total = models.BooleanField(default=False)

    class Meta:
        ordering = ["rekap_id", "nomor"]
        verbose_name = _("baris rekap")
        verbose_name_plural = _("baris rekap")

    def __str__(self) -> str:
        return f"{self.rekap_id}:{self.nomor}"
