"""Strategic analysis of a pemda or an OPD (case 1, Bappeda Kota Pasuruan): SWOT factors, IFAS/EFAS,
a scoring workshop, TOWS strategies and strategic issues with a litmus test, traced into the RPJMD.

- *Analisis* (`Analysis`): one exercise (title, scope, date, facilitator). Status: terbuka (factors are
  being written), penilaian (a workshop round is open), ditutup (the final matrix is fixed).
- *Faktor* (`Factor`): a strength, weakness, opportunity or threat with its final weight and rating
  (None until set directly or by closing a workshop round), and evidence: indicators of the pemda's plans
  and free-text references.
- *Lokakarya* (workshop): participants (`Participant`, a user of the pemda or a person invited by a
  one-time link) score every factor independently in a round (`Round`); each participant's answers are
  one `Submission`. Closing a round writes the aggregate into the factors and records how (`Round.catatan`).
- *TOWS* (`TowsStrategy`): strategies in the SO, WO, ST, WT cells, each citing the factors it combines.
- *Isu strategis* (`StrategicIssue`): a question tied to the vision and mission, scored with the
  analysis's litmus test (`Analysis.litmus`), optionally chosen and linked to RPJMD tujuan/sasaran/strategi.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencana.core.models import VersionedModel
from rencana.planning.models import Indicator, PlanNode
from rencana.regions.models import Opd, Pemda


class AnalysisStatus(models.TextChoices):
    OPEN = "terbuka", _("Terbuka")
    SCORING = "penilaian", _("Penilaian lokakarya")
    CLOSED = "ditutup", _("Ditutup")


class Aggregation(models.TextChoices):
    MEDIAN = "median", _("Median")
    MEAN = "mean", _("Rata-rata")


class WeightMethod(models.TextChoices):
    RAW = "langsung", _("Angka kepentingan langsung")
    PAIRWISE = "berpasangan", _("Perbandingan berpasangan")


class FactorKind(models.TextChoices):
    S = "S", _("Kekuatan (S)")
    W = "W", _("Kelemahan (W)")
    O = "O", _("Peluang (O)")  # noqa: E741 - the letter is the SWOT code
    T = "T", _("Ancaman (T)")


class TowsCell(models.TextChoices):
    SO = "SO", _("SO: kekuatan untuk meraih peluang")
    WO = "WO", _("WO: atasi kelemahan dengan peluang")
    ST = "ST", _("ST: kekuatan untuk menghadapi ancaman")
    WT = "WT", _("WT: kurangi kelemahan, hindari ancaman")


class Analysis(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(
        Opd, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD")
    )
    judul = models.CharField(_("judul"), max_length=200)
    ruang_lingkup = models.TextField(_("ruang lingkup"), blank=True)
    tanggal = models.DateField(_("tanggal"))
    fasilitator = models.CharField(_("fasilitator"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.OPEN
    )
    metode_agregasi = models.CharField(
        _("agregasi skor peserta"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEDIAN
    )
    metode_bobot = models.CharField(
        _("cara peserta mengisi bobot"), max_length=12, choices=WeightMethod.choices, default=WeightMethod.RAW
    )
    # Litmus test: {"items": [{"kode", "pertanyaan", "operasional", "strategis"}],
    #               "bands": [[min, max, label]]}.
    litmus = models.JSONField(_("uji litmus"), default=dict, blank=True)
    # How the final matrix was reached (set when a round closes or the matrix is entered directly).
    catatan_matriks = models.JSONField(default=list, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "judul",
        "ruang_lingkup",
        "tanggal",
        "fasilitator",
        "status",
        "metode_agregasi",
        "metode_bobot",
        "opd",
        "litmus",
    )

    class Meta:
        ordering = ["pemda_id", "-tanggal", "-id"]
        verbose_name = _("analisis strategis")
        verbose_name_plural = _("analisis strategis")
        indexes = [models.Index(fields=["pemda", "-tanggal"], name="strategy_analysis_pemda")]

    def __str__(self) -> str:
        return self.judul


class Factor(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    analisis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="faktor")
    jenis = models.CharField(_("jenis"), max_length=1, choices=FactorKind.choices)
    kode = models.CharField(_("kode"), max_length=10)
    faktor = models.CharField(_("faktor"), max_length=300)
    penjelasan = models.TextField(_("penjelasan"), blank=True)
    bukti = models.TextField(_("bukti (tautan atau rujukan data)"), blank=True)
    indikator = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indikator"))
    urutan = models.PositiveIntegerField(default=0)
    bobot = models.DecimalField(_("bobot"), max_digits=5, decimal_places=4, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)

    AUDITED_FIELDS = ("jenis", "kode", "faktor", "penjelasan", "bukti", "bobot", "rating")

    class Meta:
        ordering = ["analisis_id", "jenis", "urutan", "id"]
        verbose_name = _("faktor SWOT")
        verbose_name_plural = _("faktor SWOT")
        constraints = [
            models.UniqueConstraint(fields=["analisis", "kode"], name="strategy_factor_unique_kode"),
        ]
        indexes = [models.Index(fields=["pemda", "analisis"], name="strategy_factor_pemda")]

    def __str__(self) -> str:
        return f"{self.kode} {self.faktor}"


class Participant(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    analisis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="peserta")
    nama = models.CharField(_("nama"), max_length=150)
    instansi = models.CharField(_("instansi/jabatan"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SHA-256 of the one-time link's secret; the secret itself is shown once to the facilitator.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_dipakai = models.DateTimeField(null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["analisis_id", "id"]
        verbose_name = _("peserta lokakarya")
        verbose_name_plural = _("peserta lokakarya")
        constraints = [
            models.UniqueConstraint(
                fields=["analisis", "user"],
                condition=models.Q(user__isnull=False),
                name="strategy_participant_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class Round(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    analisis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="putaran")
    nomor = models.PositiveSmallIntegerField(_("putaran ke"))
    dibuka = models.DateTimeField(auto_now_add=True)
    ditutup = models.DateTimeField(null=True, blank=True)
    ditutup_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metode_agregasi = models.CharField(max_length=10, choices=Aggregation.choices, blank=True)
    # How the final matrix was reached: Indonesian sentences from `workshop.final_scores` and the facilitator.
    catatan = models.JSONField(default=list, blank=True)
    ringkasan_diskusi = models.TextField(_("ringkasan diskusi"), blank=True)

    class Meta:
        ordering = ["analisis_id", "nomor"]
        verbose_name = _("putaran penilaian")
        verbose_name_plural = _("putaran penilaian")
        constraints = [
            models.UniqueConstraint(fields=["analisis", "nomor"], name="strategy_round_unique_nomor"),
        ]

    def __str__(self) -> str:
        return f"{self.analisis_id}#{self.nomor}"

    @property
    def is_open(self) -> bool:
        return self.ditutup is None


class Submission(VersionedModel):
    """One participant's answers in one round: per factor a raw importance and a rating, and for the
    pairwise method the judgements {"S1|S2": 3, ...}."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    putaran = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="jawaban")
    peserta = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="jawaban")
    # {"S1": {"mentah": "3", "bobot": "0.2000", "rating": 3}, ...}: `bobot` normalized within its matrix.
    skor = models.JSONField(default=dict)
    berpasangan = models.JSONField(default=dict, blank=True)
    selesai = models.BooleanField(_("selesai"), default=False)
    diubah = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("skor", "berpasangan", "selesai")

    class Meta:
        ordering = ["putaran_id", "peserta_id"]
        constraints = [
            models.UniqueConstraint(fields=["putaran", "peserta"], name="strategy_submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.putaran_id}/{self.peserta_id}"


class TowsStrategy(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    analisis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="strategi_tows")
    sel = models.CharField(_("sel TOWS"), max_length=2, choices=TowsCell.choices)
    teks = models.TextField(_("strategi"))
    faktor = models.ManyToManyField(
        Factor, related_name="strategi_tows", verbose_name=_("faktor yang dipadukan")
    )
    terpilih = models.BooleanField(_("strategi terpilih"), default=False)
    urutan = models.PositiveIntegerField(default=0)

    AUDITED_FIELDS = ("sel", "teks", "terpilih")

    class Meta:
        ordering = ["analisis_id", "sel", "urutan", "id"]
        verbose_name = _("strategi TOWS")
        verbose_name_plural = _("strategi TOWS")

    def __str__(self) -> str:
        return f"{self.sel}: {self.teks[:60]}"


class StrategicIssue(VersionedModel):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    analisis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="isu")
    pertanyaan = models.TextField(_("isu strategis (sebagai pertanyaan)"))
    kaitan_visi_misi = models.TextField(_("kaitan dengan visi dan misi"), blank=True)
    strategi = models.ForeignKey(
        TowsStrategy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="isu",
        verbose_name=_("berasal dari strategi TOWS"),
    )
    # {item kode: 1..3}
    litmus = models.JSONField(_("skor uji litmus"), default=dict, blank=True)
    terpilih = models.BooleanField(_("terpilih"), default=False)
    simpul = models.ManyToManyField(
        PlanNode, blank=True, related_name="+", verbose_name=_("tujuan/sasaran/strategi RPJMD")
    )
    urutan = models.PositiveIntegerField(default=0)

    AUDITED_FIELDS = ("pertanyaan", "kaitan_visi_misi", "strategi", "litmus", "terpilih")

    class Meta:
        ordering = ["analisis_id", "urutan", "id"]
        verbose_name = _("isu strategis")
        verbose_name_plural = _("isu strategis")

    def __str__(self) -> str:
        return self.pertanyaan[:80]
