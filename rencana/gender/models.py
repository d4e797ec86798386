"""Gender mainstreaming (PUG) of a pemda: sex-disaggregated data, index components and values, the Gender
Analysis Pathway (GAP) and Gender Budget Statement (GBS) per sub-kegiatan, ARG tagging, PUG readiness
(the seven prerequisites), the PPE self-assessment, the PUG roadmap, and the Pokja PUG.

- *Data terpilah* (`SexValue`): the value of an indicator flagged "terpilah menurut jenis kelamin" for
  women and for men, per region and year, with its source and status (sementara / tetap).
- *Komponen indeks* (`IndexComponent`): the inputs of IPM/IPG/IKG per region and year (UHH, HLS, RLS,
  expenditure by sex; MTF, MHPK20, DPRD seats, SMA+ and TPAK by sex), each with its source, so a pemda's
  IPG/IKG is computed by `gender.indices` with the provenance of every input.
- *Nilai indeks* (`IndexValue`): a published (BPS) or computed index value per region and year; reference
  data shared by every pemda (like the region list), used by the regional comparison and the roadmap.
- *GAP* (`GapWorksheet`): the nine steps for one sub-kegiatan; the GBS is generated from it.
- *Penandaan ARG* (`ArgTag`): a sub-kegiatan tagged gender-specific, gender-equality or PUG-institutional.
- *Kesiapan PUG* (`Prerequisite` + `PrerequisiteEvidence`), *PPE* (`PpeAssessment`), *peta jalan*
  (`RoadmapTarget`), *Pokja* (`PokjaMember`, `PokjaMeeting`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.planning.models import Indicator, PlanNode
from rencana.regions.models import Opd, Pemda, Region


class DataStatus(models.TextChoices):
    SEMENTARA = "sementara", _("Sementara")
    TETAP = "tetap", _("Tetap")


class SexValue(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    indikator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    wilayah = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    perempuan = models.DecimalField(_("perempuan"), max_digits=20, decimal_places=4, null=True, blank=True)
    laki_laki = models.DecimalField(_("laki-laki"), max_digits=20, decimal_places=4, null=True, blank=True)
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DataStatus.choices, default=DataStatus.SEMENTARA
    )
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("perempuan", "laki_laki", "sumber", "status")

    class Meta:
        ordering = ["pemda_id", "indikator_id", "wilayah_id", "tahun"]
        verbose_name = _("data terpilah")
        verbose_name_plural = _("data terpilah")
        constraints = [
            models.UniqueConstraint(fields=["indikator", "wilayah", "tahun"], name="sexvalue_unique"),
        ]
        indexes = [models.Index(fields=["pemda", "tahun"], name="sexvalue_pemda_tahun")]

    def __str__(self) -> str:
        return f"{self.indikator_id} {self.wilayah_id} {self.tahun}"


class ComponentCode(models.TextChoices):
    UHH_P = "uhh_p", _("Umur harapan hidup perempuan (tahun)")
    UHH_L = "uhh_l", _("Umur harapan hidup laki-laki (tahun)")
    HLS_P = "hls_p", _("Harapan lama sekolah perempuan (tahun)")
    HLS_L = "hls_l", _("Harapan lama sekolah laki-laki (tahun)")
    RLS_P = "rls_p", _("Rata-rata lama sekolah perempuan (tahun)")
    RLS_L = "rls_l", _("Rata-rata lama sekolah laki-laki (tahun)")
    PENGELUARAN_P = "pengeluaran_p", _("Pengeluaran per kapita disesuaikan perempuan (Rp)")
    PENGELUARAN_L = "pengeluaran_l", _("Pengeluaran per kapita disesuaikan laki-laki (Rp)")
    MTF = "mtf", _("MTF: persalinan terakhir tidak di fasilitas kesehatan (proporsi)")
    MHPK20 = "mhpk20", _("MHPK20: melahirkan hidup pertama sebelum usia 20 (proporsi)")
    LEGISLATIF_P = "legislatif_p", _("Kursi DPRD perempuan (%)")
    LEGISLATIF_L = "legislatif_l", _("Kursi DPRD laki-laki (%)")
    SMA_P = "sma_p", _("Penduduk 25+ berpendidikan SMA ke atas, perempuan (%)")
    SMA_L = "sma_l", _("Penduduk 25+ berpendidikan SMA ke atas, laki-laki (%)")
    TPAK_P = "tpak_p", _("TPAK perempuan (%)")
    TPAK_L = "tpak_l", _("TPAK laki-laki (%)")


class IndexComponent(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    wilayah = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    kode = models.CharField(_("komponen"), max_length=20, choices=ComponentCode.choices)
    nilai = models.DecimalField(_("nilai"), max_digits=20, decimal_places=6)
    sumber = models.CharField(_("sumber"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=DataStatus.choices, default=DataStatus.TETAP
    )

    AUDITED_FIELDS = ("nilai", "sumber", "status")

    class Meta:
        ordering = ["pemda_id", "wilayah_id", "tahun", "kode"]
        verbose_name = _("komponen indeks")
        verbose_name_plural = _("komponen indeks")
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "wilayah", "tahun", "kode"], name="indexcomponent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wilayah_id} {self.tahun} {self.kode}"


class IndexName(models.TextChoices):
    IPM = "IPM", _("Indeks Pembangunan Manusia (IPM)")
    IPG = "IPG", _("Indeks Pembangunan Gender (IPG)")
    IDG = "IDG", _("Indeks Pemberdayaan Gender (IDG)")
    IKG = "IKG", _("Indeks Ketimpangan Gender (IKG)")


class IndexValue(models.Model):
    """Reference data: a published or computed index value of a region in a year."""

    wilayah = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    indeks = models.CharField(_("indeks"), max_length=3, choices=IndexName.choices)
    nilai = models.DecimalField(_("nilai"), max_digits=10, decimal_places=4)
    sumber = models.CharField(_("sumber"), max_length=255)

    class Meta:
        ordering = ["wilayah_id", "indeks", "tahun"]
        verbose_name = _("nilai indeks")
        verbose_name_plural = _("nilai indeks")
        constraints = [
            models.UniqueConstraint(fields=["wilayah", "tahun", "indeks"], name="indexvalue_unique"),
        ]
        indexes = [models.Index(fields=["indeks", "tahun"], name="indexvalue_indeks_tahun")]

    def __str__(self) -> str:
        return f"{self.indeks} {self.wilayah_id} {self.tahun}"


class GapStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    FINAL = "final", _("Final")


class GapWorksheet(VersionedModel):
    """The Gender Analysis Pathway of one sub-kegiatan in one year, and the GBS fields generated from it."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(Opd, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=6, choices=GapStatus.choices, default=GapStatus.DRAFT)
    # The nine steps.
    kebijakan = models.TextField(_("1. Kebijakan/program/kegiatan dan tujuannya"), blank=True)
    data_pembuka = models.TextField(_("2. Data pembuka wawasan (terpilah)"), blank=True)
    faktor_akses = models.TextField(_("3a. Kesenjangan: akses"), blank=True)
    faktor_partisipasi = models.TextField(_("3b. Kesenjangan: partisipasi"), blank=True)
    faktor_kontrol = models.TextField(_("3c. Kesenjangan: kontrol"), blank=True)
    faktor_manfaat = models.TextField(_("3d. Kesenjangan: manfaat"), blank=True)
    sebab_internal = models.TextField(_("4. Sebab kesenjangan internal"), blank=True)
    sebab_eksternal = models.TextField(_("5. Sebab kesenjangan eksternal"), blank=True)
    tujuan_reformulasi = models.TextField(_("6. Reformulasi tujuan"), blank=True)
    rencana_aksi = models.TextField(_("7. Rencana aksi"), blank=True)
    baseline = models.TextField(_("8. Data dasar (baseline)"), blank=True)
    indikator_gender = models.TextField(_("9. Indikator gender"), blank=True)
    # Gender Budget Statement fields not found in the GAP.
    analisis_situasi = models.TextField(_("Analisis situasi (GBS)"), blank=True)
    anggaran = models.DecimalField(
        _("alokasi anggaran (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    dampak = models.TextField(_("Dampak/hasil yang diharapkan"), blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah = models.DateTimeField(auto_now=True)

    STEP_FIELDS = (
        "kebijakan",
        "data_pembuka",
        "faktor_akses",
        "faktor_partisipasi",
        "faktor_kontrol",
        "faktor_manfaat",
        "sebab_internal",
        "sebab_eksternal",
        "tujuan_reformulasi",
        "rencana_aksi",
        "baseline",
        "indikator_gender",
    )
    AUDITED_FIELDS = (*STEP_FIELDS, "status", "analisis_situasi", "anggaran", "dampak")

    class Meta:
        ordering = ["pemda_id", "tahun", "node_id"]
        verbose_name = _("lembar GAP")
        verbose_name_plural = _("lembar GAP")
        constraints = [models.UniqueConstraint(fields=["node", "tahun"], name="gap_unique_node_tahun")]
        indexes = [models.Index(fields=["pemda", "tahun"], name="gap_pemda_tahun")]

    def __str__(self) -> str:
        return f"GAP {self.node_id} {self.tahun}"


class ArgCategory(models.TextChoices):
    SPESIFIK = "spesifik", _("Spesifik gender")
    KESETARAAN = "kesetaraan", _("Kesetaraan gender")
    KELEMBAGAAN = "kelembagaan", _("Penguatan kelembagaan PUG")


class ArgTag(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.OneToOneField(PlanNode, on_delete=models.CASCADE, related_name="tanda_arg")
    kategori = models.CharField(_("kategori ARG"), max_length=12, choices=ArgCategory.choices)
    catatan = models.TextField(_("catatan"), blank=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("kategori", "catatan")

    class Meta:
        ordering = ["pemda_id", "node_id"]
        verbose_name = _("penandaan ARG")
        verbose_name_plural = _("penandaan ARG")
        indexes = [models.Index(fields=["pemda", "kategori"], name="argtag_pemda_kategori")]

    def __str__(self) -> str:
        return f"ARG {self.node_id} {self.kategori}"


class PrerequisiteCode(models.TextChoices):
    KOMITMEN = "komitmen", _("Komitmen")
    KEBIJAKAN = "kebijakan", _("Kebijakan")
    KELEMBAGAAN = "kelembagaan", _("Kelembagaan")
    SUMBER_DAYA = "sumber_daya", _("Sumber daya (manusia dan anggaran)")
    DATA_TERPILAH = "data_terpilah", _("Data terpilah")
    ALAT_ANALISIS = "alat_analisis", _("Alat analisis gender")
    PARTISIPASI = "partisipasi", _("Partisipasi masyarakat")


class PrerequisiteStatus(models.TextChoices):
    BELUM = "belum", _("Belum ada")
    SEBAGIAN = "sebagian", _("Sebagian")
    TERPENUHI = "terpenuhi", _("Terpenuhi")


class Prerequisite(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    kode = models.CharField(_("prasyarat"), max_length=20, choices=PrerequisiteCode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PrerequisiteStatus.choices, default=PrerequisiteStatus.BELUM
    )
    catatan = models.TextField(_("keterangan"), blank=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("status", "catatan")

    class Meta:
        ordering = ["pemda_id", "id"]
        verbose_name = _("prasyarat PUG")
        verbose_name_plural = _("prasyarat PUG")
        constraints = [models.UniqueConstraint(fields=["pemda", "kode"], name="prerequisite_unique")]

    def __str__(self) -> str:
        return f"{self.pemda_id} {self.kode}"


class PrerequisiteEvidence(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    prasyarat = models.ForeignKey(Prerequisite, on_delete=models.CASCADE, related_name="bukti")
    judul = models.CharField(_("judul dokumen"), max_length=255)
    berkas = models.FileField(_("berkas"), upload_to="pug/", blank=True)
    nama_berkas = models.CharField(max_length=255, blank=True)
    tautan = models.CharField(_("rujukan (nomor/tautan)"), max_length=500, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["prasyarat_id", "id"]
        verbose_name = _("bukti prasyarat")
        verbose_name_plural = _("bukti prasyarat")

    def __str__(self) -> str:
        return self.judul


class PpeAssessment(VersionedModel):
    """A PPE self-assessment: the criteria and bands used (a snapshot of the configurable data) and the
    answers."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    kriteria = models.JSONField(default=dict)
    jawaban = models.JSONField(default=dict, blank=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("jawaban",)

    class Meta:
        ordering = ["pemda_id", "-tahun"]
        verbose_name = _("penilaian mandiri PPE")
        verbose_name_plural = _("penilaian mandiri PPE")
        constraints = [models.UniqueConstraint(fields=["pemda", "tahun"], name="ppe_unique_tahun")]

    def __str__(self) -> str:
        return f"PPE {self.pemda_id} {self.tahun}"


class RoadmapTarget(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    indeks = models.CharField(_("indeks"), max_length=3, choices=IndexName.choices)
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=4)

    AUDITED_FIELDS = ("target",)

    class Meta:
        ordering = ["pemda_id", "indeks", "tahun"]
        verbose_name = _("target peta jalan PUG")
        verbose_name_plural = _("target peta jalan PUG")
        constraints = [models.UniqueConstraint(fields=["pemda", "indeks", "tahun"], name="roadmap_unique")]

    def __str__(self) -> str:
        return f"{self.indeks} {self.tahun}"


class PokjaRole(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    TIM_TEKNIS = "tim_teknis", _("Tim teknis (driver)")
    ANGGOTA = "anggota", _("Anggota")


class PokjaMember(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    opd = models.ForeignKey(Opd, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    peran = models.CharField(_("peran"), max_length=12, choices=PokjaRole.choices, default=PokjaRole.ANGGOTA)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["pemda_id", "peran", "nama"]
        verbose_name = _("anggota Pokja PUG")
        verbose_name_plural = _("anggota Pokja PUG")

    def __str__(self) -> str:
        return self.nama


class PokjaMeeting(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    tanggal = models.DateField(_("tanggal"))
    agenda = models.CharField(_("agenda"), max_length=300)
    notulen = models.TextField(_("notulen"), blank=True)
    peserta = models.ManyToManyField(PokjaMember, blank=True, related_name="rapat")

    class Meta:
        ordering = ["pemda_id", "-tanggal"]
        verbose_name = _("rapat Pokja PUG")
        verbose_name_plural = _("rapat Pokja PUG")

    def __str__(self) -> str:
        return f"{self.tanggal} {self.agenda}"
