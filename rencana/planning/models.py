"""Plan documents, the logframe, indicators, and the Permendagri 90 nomenclature.

One `PlanNode` table holds every logframe level (visi ... sub-kegiatan): the tree editor, the
checker and the diff walk one shape, and an RKPD of 5,000 sub-kegiatan is one query. The level
rules (which kind may sit under which) live in `rencana.planning.levels`, a plain module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.regions.models import Opd, Pemda


class NomenclatureEdition(models.Model):
    """One edition of the Permendagri 90/2019 nomenclature (e.g. "2020", "2027")."""

    kode = models.CharField(_("edisi"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    sumber = models.TextField(_("sumber"), blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    dimuat = models.DateTimeField(_("dimuat"), auto_now=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("edisi nomenklatur")
        verbose_name_plural = _("edisi nomenklatur")

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class NomenclatureLevel(models.TextChoices):
    URUSAN = "urusan", _("Urusan")
    BIDANG = "bidang", _("Bidang urusan")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub-kegiatan")


class BerlakuUntuk(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABKOTA = "kabkota", _("Kabupaten/kota")
    SEMUA = "semua", _("Semua")


class NomenclatureItem(models.Model):
    """One code of an edition; key (edition, kode, berlaku_untuk): provinsi and kab/kota reuse codes."""

    edisi = models.ForeignKey(NomenclatureEdition, on_delete=models.CASCADE, related_name="items")
    kode = models.CharField(_("kode"), max_length=30)
    level = models.CharField(_("tingkat"), max_length=12, choices=NomenclatureLevel.choices)
    nama = models.CharField(_("nama"), max_length=500)
    kode_induk = models.CharField(_("kode induk"), max_length=30, blank=True)
    berlaku_untuk = models.CharField(_("berlaku untuk"), max_length=10, choices=BerlakuUntuk.choices)
    # Sub-kegiatan metadata (2027 edition onwards): expected result, output indicator and its unit.
    kinerja = models.TextField(_("kinerja"), blank=True)
    indikator = models.TextField(_("indikator"), blank=True)
    satuan = models.CharField(_("satuan"), max_length=100, blank=True)
    spm = models.CharField(_("SPM"), max_length=20, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, blank=True)
    kode_sebelumnya = models.CharField(_("kode sebelumnya"), max_length=30, blank=True)
    # Lower-case name, for search as you type.
    nama_cari = models.CharField(max_length=500)

    class Meta:
        ordering = ["edisi_id", "kode", "berlaku_untuk"]
        verbose_name = _("nomenklatur")
        verbose_name_plural = _("nomenklatur")
        constraints = [
            models.UniqueConstraint(fields=["edisi", "kode", "berlaku_untuk"], name="nomenklatur_unique_kode")
        ]
        indexes = [models.Index(fields=["edisi", "level", "kode"], name="nomenklatur_level_kode")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class DocumentKind(models.TextChoices):
    RPJPD = "RPJPD", "RPJPD"
    RPJMD = "RPJMD", "RPJMD"
    RENSTRA = "RENSTRA", "Renstra OPD"
    RKPD = "RKPD", "RKPD"
    RENJA = "RENJA", "Renja OPD"


class Stage(models.TextChoices):
    RANCANGAN_AWAL = "rancangan_awal", _("Rancangan awal")
    RANCANGAN = "rancangan", _("Rancangan")
    MUSRENBANG = "musrenbang", _("Musrenbang")
    RANCANGAN_AKHIR = "rancangan_akhir", _("Rancangan akhir")
    DITETAPKAN = "ditetapkan", _("Ditetapkan")


class PlanDocument(VersionedModel):
    """A plan of a pemda (or of one OPD for Renstra/Renja) for a period, at a stage, in a version.

    A revision (perubahan) of an adopted document is a new row with `revisi_ke` + 1 and
    `revisi_dari` pointing at the version it changes; the adopted one stays locked and unchanged.
    """

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="plan_documents")
    jenis = models.CharField(_("jenis"), max_length=8, choices=DocumentKind.choices)
    opd = models.ForeignKey(
        Opd,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_documents",
        verbose_name=_("OPD"),
    )
    nama = models.CharField(_("nama"), max_length=255)
    tahun_mulai = models.PositiveSmallIntegerField(_("tahun awal"))
    tahun_akhir = models.PositiveSmallIntegerField(_("tahun akhir"))
    induk = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="turunan",
        verbose_name=_("dokumen induk"),
    )
    tahap = models.CharField(_("tahap"), max_length=16, choices=Stage.choices, default=Stage.RANCANGAN_AWAL)
    revisi_ke = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    revisi_dari = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisi",
        verbose_name=_("revisi dari"),
    )
    edisi_nomenklatur = models.ForeignKey(
        NomenclatureEdition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("edisi nomenklatur"),
    )
    ditetapkan_pada = models.DateField(_("ditetapkan pada"), null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "jenis",
        "opd",
        "nama",
        "tahun_mulai",
        "tahun_akhir",
        "induk",
        "tahap",
        "revisi_ke",
        "edisi_nomenklatur",
        "ditetapkan_pada",
    )

    class Meta:
        ordering = ["pemda_id", "-tahun_mulai", "jenis", "opd_id", "-revisi_ke"]
        verbose_name = _("dokumen perencanaan")
        verbose_name_plural = _("dokumen perencanaan")
        indexes = [models.Index(fields=["pemda", "jenis", "tahun_mulai"], name="plandoc_pemda_jenis")]

    def __str__(self) -> str:
        return self.nama

    @property
    def terkunci(self) -> bool:
        return self.tahap == Stage.DITETAPKAN

    @property
    def tahun(self) -> list[int]:
        return list(range(self.tahun_mulai, self.tahun_akhir + 1))


class NodeKind(models.TextChoices):
    VISI = "visi", _("Visi")
    MISI = "misi", _("Misi")
    TUJUAN = "tujuan", _("Tujuan")
    SASARAN = "sasaran", _("Sasaran")
    STRATEGI = "strategi", _("Strategi")
    ARAH_KEBIJAKAN = "arah_kebijakan", _("Arah kebijakan")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub-kegiatan")


class PlanNode(VersionedModel):
    """One node of a document's logframe."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    dokumen = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="nodes")
    jenis = models.CharField(_("jenis"), max_length=16, choices=NodeKind.choices)
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="anak", verbose_name=_("induk")
    )
    kode = models.CharField(_("kode"), max_length=40, blank=True)
    nama = models.TextField(_("nama"))
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    opd = models.ForeignKey(
        Opd,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("OPD pelaksana"),
    )
    # Program / kegiatan / sub-kegiatan: the sasaran it serves (usually of the RPJMD or Renstra).
    sasaran = models.ManyToManyField(
        "self", symmetrical=False, through="NodeLink", related_name="dilayani", blank=True
    )
    luar_nomenklatur = models.BooleanField(_("di luar nomenklatur"), default=False)
    sumber_dana = models.CharField(_("sumber dana"), max_length=120, blank=True)
    # Region codes (kecamatan, desa) where a sub-kegiatan is carried out, "63.02.01;63.02.01.2001".
    lokasi = models.TextField(_("lokasi"), blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "jenis",
        "induk",
        "kode",
        "nama",
        "urutan",
        "opd",
        "luar_nomenklatur",
        "sumber_dana",
        "lokasi",
    )

    class Meta:
        ordering = ["dokumen_id", "urutan", "id"]
        verbose_name = _("simpul logframe")
        verbose_name_plural = _("simpul logframe")
        indexes = [
            models.Index(fields=["dokumen", "jenis", "kode"], name="plannode_doc_jenis_kode"),
            models.Index(fields=["pemda", "jenis", "kode"], name="plannode_pemda_jenis_kode"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}".strip()

    @property
    def lokasi_list(self) -> list[str]:
        return [k for k in self.lokasi.split(";") if k]


class NodeLink(models.Model):
    """A program / kegiatan / sub-kegiatan serves a sasaran."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    dari = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="tautan_keluar")
    ke = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="tautan_masuk")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dari", "ke"], name="nodelink_unique")]

    def __str__(self) -> str:
        return f"{self.dari_id} -> {self.ke_id}"


class NodeBudget(models.Model):
    """Pagu (budget ceiling, rupiah) of a node for one year."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="pagu")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    jumlah = models.DecimalField(_("pagu (Rp)"), max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["node_id", "tahun"]
        constraints = [models.UniqueConstraint(fields=["node", "tahun"], name="nodebudget_unique_tahun")]

    def __str__(self) -> str:
        return f"{self.node_id} {self.tahun}: {self.jumlah}"


class Polarity(models.TextChoices):
    POSITIF = "positif", _("Positif (makin tinggi makin baik)")
    NEGATIF = "negatif", _("Negatif (makin rendah makin baik)")


class Aggregation(models.TextChoices):
    KUMULATIF = "kumulatif", _("Kumulatif (jumlah triwulan)")
    AKHIR_PERIODE = "akhir_periode", _("Akhir periode (nilai terakhir)")
    RATA_RATA = "rata_rata", _("Rata-rata")


class IndicatorKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome (hasil)")
    OUTPUT = "output", _("Output (keluaran)")


class Indicator(VersionedModel):
    """A performance indicator of a node, with baseline and one target per year of the period."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="indikator")
    jenis = models.CharField(
        _("jenis"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.OUTCOME
    )
    nama = models.TextField(_("nama indikator"))
    satuan = models.CharField(_("satuan"), max_length=100, blank=True)
    polaritas = models.CharField(
        _("polaritas"), max_length=8, choices=Polarity.choices, default=Polarity.POSITIF
    )
    agregasi = models.CharField(
        _("agregasi triwulan"), max_length=14, choices=Aggregation.choices, default=Aggregation.AKHIR_PERIODE
    )
    definisi = models.TextField(_("definisi"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    sumber_data = models.CharField(_("sumber data"), max_length=255, blank=True)
    baseline_tahun = models.PositiveSmallIntegerField(_("tahun baseline"), null=True, blank=True)
    baseline_nilai = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    terpilah_gender = models.BooleanField(_("terpilah menurut jenis kelamin"), default=False)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "jenis",
        "nama",
        "satuan",
        "polaritas",
        "agregasi",
        "definisi",
        "formula",
        "sumber_data",
        "baseline_tahun",
        "baseline_nilai",
        "terpilah_gender",
    )

    class Meta:
        ordering = ["node_id", "urutan", "id"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")

    def __str__(self) -> str:
        return self.nama


class IndicatorTarget(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    indikator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="target")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    nilai = models.DecimalField(_("target"), max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["indikator_id", "tahun"]
        constraints = [
            models.UniqueConstraint(fields=["indikator", "tahun"], name="indicatortarget_unique_tahun")
        ]

    def __str__(self) -> str:
        return f"{self.indikator_id} {self.tahun}: {self.nilai}"
