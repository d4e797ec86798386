"""What the page shell needs: the user's pemdas, the active one, and the menu for its roles."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rencana.accounts.scope import pemdas_of, scope_for
from rencana.core.roles import ROLE_LABELS

# (label, url name taking the pemda code, permission needed). Later modules add their entries here.
PEMDA_MENU = [
    (_("Beranda"), "core:dashboard_pemda", "pemda.view"),
    (_("OPD"), "regions:opd_list", "opd.view"),
    (_("Perencanaan"), "planning:documents", "plan.view"),
    (_("Analisis strategis"), "strategy:list", "strategy.view"),
    (_("PUG (gender)"), "gender:home", "pug.view"),
    (_("Izin"), "permits:home", "permit.view"),
    (_("Rekap HKm"), "permits:recap", "permit.view"),
    (_("Kawasan hutan"), "permits:forest_layers", "permit.process"),
    (_("Jenis izin"), "permits:types", "permit.configure"),
    (_("Permohonan saya"), "permits:my_applications", "permit.apply"),
    (_("Pengaduan"), "permits:complaints", "complaint.view"),
    (_("Sosialisasi"), "outreach:list", "outreach.view"),
    (_("e-Monev"), "monitoring:home", "monev.view"),
    (_("Evaluasi"), "evaluasi:pemda", "monev.view"),
    (_("Peringatan dini"), "monev_reports:warnings", "monev.view"),
    (_("Saran program"), "monev_reports:advice", "monev.view"),
    (_("Laporan evaluasi"), "monev_reports:reports", "monev.view"),
    (_("Peta wilayah"), "regions:peta", "pemda.view"),
    (_("Pengguna dan peran"), "users:user_list", "users.manage"),
    (_("Jejak audit"), "core:audit", "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    pemdas = list(pemdas_of(user))
    active = getattr(request, "pemda", None)
    if active is None:
        remembered = request.session.get("pemda_kode") if hasattr(request, "session") else None
        active = next((p for p in pemdas if p.kode == remembered), pemdas[0] if pemdas else None)
    menu = []
    role_labels: list[str] = []
    if active is not None:
        scope = getattr(request, "scope", None) or scope_for(user, active)
        current = request.path
        for label, url_name, permission in PEMDA_MENU:
            if scope.has(permission):
                url = reverse(url_name, kwargs={"kode": active.kode})
                menu.append({"label": label, "url": url, "active": current == url})
        role_labels = sorted({str(ROLE_LABELS[r]) for r in scope.roles})
    return {"user_pemdas": pemdas, "active_pemda": active, "menu": menu, "active_roles": role_labels}
