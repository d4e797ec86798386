"""Account writes: role assignments, API tokens, login throttling."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.accounts.models import ApiToken, LoginFailure, RoleAssignment
from rencana.accounts.tokens import token_digest, token_generate
from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.roles import OPD_BOUND_ROLES, Role
from rencana.regions.models import Opd, Pemda


def login_is_throttled(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_MAX_FAILURES
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address trying many usernames is throttled too, with more room for shared office NAT.
    return bool(ip) and recent.filter(ip=ip).count() >= limit * 4


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip or None)


def login_success_record(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


@transaction.atomic
def role_assign(*, actor: Any, user: Any, pemda: Pemda, role: Role, opd: Opd | None = None) -> RoleAssignment:
    if role in OPD_BOUND_ROLES and opd is None:
        raise ApplicationError(_("Peran %(peran)s harus dikaitkan dengan satu OPD.") % {"peran": role.value})
    if opd is not None and opd.pemda_id != pemda.pk:
        raise ApplicationError(_("OPD tersebut bukan milik pemda ini."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, pemda=pemda, role=role.value, opd=opd
    )
    if created:
        audit_record(
            actor=actor,
            action="grant",
            instance=assignment,
            pemda_id=pemda.pk,
            object_label=f"{user.username}: {role.value}" + (f" ({opd.nama})" if opd else ""),
            after={"user": user.username, "role": role.value, "opd": opd.pk if opd else None},
        )
    return assignment


def user_ensure(*, username: str, password: str, full_name: str = "", email: str = "") -> tuple[Any, bool]:
    """A demo or CLI-created user; an existing user's password is left as it is."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    first, _sep, last = full_name.partition(" ")
    user = user_model.objects.create_user(
        username=username, password=password, email=email, first_name=first[:150], last_name=last[:150]
    )
    return user, True


@transaction.atomic
def token_create(*, user: Any, nama: str) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    nama = " ".join(nama.split())
    if not nama:
        raise ApplicationError(_("Beri nama token, misalnya nama aplikasi yang akan memakainya."))
    if len(nama) > 80:
        raise ApplicationError(_("Nama token paling panjang 80 karakter."))
    if ApiToken.objects.filter(user=user, dicabut__isnull=True).count() >= 20:
        raise ApplicationError(_("Paling banyak 20 token aktif per akun. Cabut token yang tidak dipakai."))
    raw = token_generate()
    token = ApiToken.objects.create(user=user, nama=nama, prefix=raw[:8], digest=token_digest(raw))
    audit_record(
        actor=user, action="token_create", instance=token, after={"nama": nama, "prefix": token.prefix}
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: Any, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFoundError(_("Token tidak ditemukan."))
    if token.dicabut is None:
        token.dicabut = timezone.now()
        token.save(update_fields=["dicabut"])
        audit_record(
            actor=user, action="token_revoke", instance=token, before={"aktif": True}, after={"aktif": False}
        )
    return token


@transaction.atomic
def role_revoke(*, actor: Any, pemda: Pemda, assignment_id: int) -> RoleAssignment:
    assignment = (
        RoleAssignment.objects.select_related("user", "opd").filter(pemda=pemda, pk=assignment_id).first()
    )
    if assignment is None:
        raise NotFoundError(_("Peran tersebut tidak ditemukan di pemda ini."))
    if assignment.role == Role.ADMIN_PEMDA and assignment.user_id == getattr(actor, "pk", None):
        others = RoleAssignment.objects.filter(pemda=pemda, role=Role.ADMIN_PEMDA).exclude(pk=assignment.pk)
        if not others.exists():
            raise ConflictError(
                _("Anda admin pemda terakhir: tambahkan admin lain sebelum mencabut peran Anda sendiri.")
            )
    audit_record(
        actor=actor,
        action="revoke",
        instance=assignment,
        pemda_id=pemda.pk,
        object_label=f"{assignment.user.username}: {assignment.role}",
        before={"user": assignment.user.username, "role": assignment.role, "opd": assignment.opd_id},
    )
    assignment.delete()
    return assignment


@transaction.atomic
def user_create(
    *,
    actor: Any,
    pemda: Pemda,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: Role,
    opd: Opd | None = None,
) -> Any:
    """A new account with its first role in `pemda`; the password is checked by Django's validators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    username = username.strip()
    user_model = get_user_model()
    if not username:
        raise ApplicationError(
            _("Nama pengguna wajib diisi."), errors=[{"kolom": "username", "pesan": _("Wajib diisi.")}]
        )
    if user_model.objects.filter(username__iexact=username).exists():
        raise ConflictError(
            _("Nama pengguna %(u)s sudah ada. Untuk memberinya peran di pemda ini, pakai 'Tambah peran'.")
            % {"u": username},
            errors=[{"kolom": "username", "pesan": _("Sudah dipakai.")}],
        )
    candidate = user_model(username=username, email=email.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ApplicationError(
            _("Kata sandi belum memenuhi syarat."),
            errors=[{"kolom": "password", "pesan": str(m)} for m in exc.messages],
        ) from exc
    user, _created = user_ensure(
        username=username, password=password, full_name=full_name, email=email.strip()
    )
    audit_record(
        actor=actor,
        action="create",
        instance=user,
        pemda_id=pemda.pk,
        object_label=username,
        after={"username": username, "nama": full_name, "email": email.strip()},
    )
    role_assign(actor=actor, user=user, pemda=pemda, role=role, opd=opd)
    return user
