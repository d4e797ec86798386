"""Roles and what each may do (DESIGN.md), as data.

A role is assigned per pemda, and for OPD-bound roles (operator_opd) also per OPD. A permission is a
dotted name; `ROLE_PERMISSIONS` is the whole policy, so a reviewer can read it in one place.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMIN_PEMDA = "admin_pemda"
    PERENCANA = "perencana"
    PIMPINAN = "pimpinan"
    OPERATOR_OPD = "operator_opd"
    VERIFIKATOR = "verifikator"
    POKJA_PUG = "pokja_pug"
    PETUGAS_IZIN = "petugas_izin"
    PENDAMPING = "pendamping"
    PEMOHON = "pemohon"
    INSPEKTORAT = "inspektorat"


ROLE_LABELS = {
    Role.ADMIN_PEMDA: _("Admin pemda"),
    Role.PERENCANA: _("Perencana Bappeda"),
    Role.PIMPINAN: _("Pimpinan (baca semua)"),
    Role.OPERATOR_OPD: _("Operator OPD"),
    Role.VERIFIKATOR: _("Verifikator Bappeda"),
    Role.POKJA_PUG: _("Pokja PUG"),
    Role.PETUGAS_IZIN: _("Petugas perizinan"),
    Role.PENDAMPING: _("Pendamping"),
    Role.PEMOHON: _("Pemohon"),
    Role.INSPEKTORAT: _("Inspektorat"),
}

# Roles that must name the OPD they act for.
OPD_BOUND_ROLES = frozenset({Role.OPERATOR_OPD})

INTERNAL_ROLES = frozenset(
    {
        Role.ADMIN_PEMDA,
        Role.PERENCANA,
        Role.PIMPINAN,
        Role.OPERATOR_OPD,
        Role.VERIFIKATOR,
        Role.POKJA_PUG,
        Role.PETUGAS_IZIN,
        Role.INSPEKTORAT,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Role]] = {
    # Pemda home page, region map, OPD list: every member of the government's staff.
    "pemda.view": INTERNAL_ROLES | {Role.PENDAMPING},
    "opd.view": INTERNAL_ROLES,
    "opd.manage": frozenset({Role.ADMIN_PEMDA}),
    "opd.import": frozenset({Role.ADMIN_PEMDA}),
    "audit.view": frozenset({Role.ADMIN_PEMDA}),
    "users.manage": frozenset({Role.ADMIN_PEMDA}),
    # Planning: every staff member reads the plans; Bappeda shapes them; an OPD operator edits
    # its own OPD's Renstra/Renja and its own budget lines (checked against the OPD, see
    # planning/access.py).
    "plan.view": INTERNAL_ROLES,
    "plan.manage": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA}),
    "plan.edit": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA, Role.OPERATOR_OPD}),
    # e-Monev: an OPD operator reports its own OPD's realization; Bappeda verifies; every staff
    # member reads the evaluation; Bappeda sets deadlines and records sustain/modify/stop decisions.
    "monev.view": INTERNAL_ROLES,
    "monev.enter": frozenset({Role.OPERATOR_OPD}),
    "monev.verify": frozenset({Role.VERIFIKATOR, Role.PERENCANA}),
    "monev.manage": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA}),
    # Strategic analysis (SWOT workshop): every staff member reads it; Bappeda facilitates it.
    # Workshop participants score through their participant record (a user or a one-time link).
    "strategy.view": INTERNAL_ROLES,
    "strategy.manage": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA}),
    # Gender mainstreaming (PUG): every staff member reads; the Pokja PUG and Bappeda keep the PUG
    # records (readiness, PPE, roadmap, Pokja, index components); an OPD operator writes the GAP/GBS,
    # ARG tags and sex-disaggregated data of its own OPD (checked against the OPD, see gender/access.py).
    "pug.view": INTERNAL_ROLES,
    "pug.manage": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA, Role.POKJA_PUG}),
    "pug.edit": frozenset({Role.ADMIN_PEMDA, Role.PERENCANA, Role.POKJA_PUG, Role.OPERATOR_OPD}),
    # Permits: officers process applications; facilitators (pendamping) and applicants (pemohon) prepare
    # their own applications (owner scope, see permits/access.py); the Inspektorat reads complaints.
    "permit.view": frozenset({Role.ADMIN_PEMDA, Role.PETUGAS_IZIN, Role.PIMPINAN, Role.INSPEKTORAT}),
    "permit.process": frozenset({Role.ADMIN_PEMDA, Role.PETUGAS_IZIN}),
    "permit.configure": frozenset({Role.ADMIN_PEMDA}),
    "permit.apply": frozenset({Role.ADMIN_PEMDA, Role.PETUGAS_IZIN, Role.PENDAMPING, Role.PEMOHON}),
    "complaint.view": frozenset({Role.INSPEKTORAT, Role.ADMIN_PEMDA}),
    # Outreach evaluation: staff read; permit officers, planners and admins run events.
    "outreach.view": INTERNAL_ROLES,
    "outreach.manage": frozenset({Role.ADMIN_PEMDA, Role.PETUGAS_IZIN, Role.PERENCANA}),
}


def roles_with(permission: str) -> frozenset[Role]:
    try:
        return ROLE_PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"Izin tidak dikenal: {permission}") from None
