"""The caller's own account: who am I, where do I have roles."""

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema

from rencana.accounts.models import RoleAssignment
from rencana.api_schemas import AUTH_ERRORS

router = Router(tags=["akun"])


class RoleOut(Schema):
    pemda: str
    pemda_nama: str
    peran: str
    opd_id: int | None


class MeOut(Schema):
    username: str
    nama: str
    peran: list[RoleOut]


@router.get("/saya", response={200: MeOut, **AUTH_ERRORS}, summary="Akun yang sedang dipakai dan perannya")
def me(request: HttpRequest) -> MeOut:
    user = cast(User, request.user)  # the operation's auth guarantees a logged-in user
    rows = RoleAssignment.objects.filter(user_id=user.pk, pemda__aktif=True).select_related("pemda")
    return MeOut(
        username=user.get_username(),
        nama=user.get_full_name() if hasattr(user, "get_full_name") else "",
        peran=[
            RoleOut(pemda=r.pemda.kode, pemda_nama=r.pemda.nama, peran=r.role, opd_id=r.opd_id) for r in rows
        ],
    )
