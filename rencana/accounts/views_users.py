"""User and role management within one pemda (admin_pemda)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts import selectors
from rencana.accounts.forms_users import ExistingUserRoleForm, RoleAddForm, UserCreateForm
from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.accounts.services import role_assign, role_revoke, user_create
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.pagination import paginate, query_without_page
from rencana.core.roles import ROLE_LABELS, Role


def _labelled(user: Any) -> Any:
    user.role_labels = [(a, ROLE_LABELS[Role(a.role)]) for a in getattr(user, "pemda_roles", [])]
    return user


@pemda_view("users.manage")
@require_GET
def user_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("peran", "")
    role = role if role in {r.value for r in Role} else ""
    users = selectors.pemda_users(pemda=pemda, q=q, role=role)
    page = paginate(request, users)
    page.object_list = [_labelled(u) for u in page.object_list]
    return render(
        request,
        "accounts/user_list.html",
        {
            "pemda": pemda,
            "page": page,
            "q": q,
            "role": role,
            "roles": [(r.value, ROLE_LABELS[r]) for r in Role],
            "query": query_without_page(request),
            "existing_form": ExistingUserRoleForm(pemda=pemda),
        },
    )


@pemda_view("users.manage")
@require_GET
def user_export(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    rows = []
    for user in selectors.pemda_users(pemda=pemda):
        for a in user.pemda_roles:
            rows.append(
                [user.username, user.get_full_name(), user.email, a.role, a.opd.nama if a.opd else ""]
            )
    return xlsx_response(
        f"pengguna-{pemda.kode}.xlsx", "Pengguna", ["Nama pengguna", "Nama", "Surel", "Peran", "OPD"], rows
    )


def _opd_or_none(form: Any) -> Any:
    return form.cleaned_data.get("opd")


def _grant_from_form(request: PemdaRequest, form: Any, user: Any) -> bool:
    """Give `user` the role chosen in a valid role form; a refusal is shown on the form."""
    try:
        role_assign(
            actor=request.user,
            user=user,
            pemda=request.pemda,
            role=Role(form.cleaned_data["role"]),
            opd=_opd_or_none(form),
        )
    except ApplicationError as exc:
        form_errors_from(form, exc)
        return False
    return True


@pemda_view("users.manage")
@require_http_methods(["GET", "POST"])
def user_create_view(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = UserCreateForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=request.user,
                pemda=pemda,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                role=Role(data["role"]),
                opd=_opd_or_none(form),
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Akun %(u)s dibuat.") % {"u": user.username})
            return redirect("users:user_detail", kode=pemda.kode, user_id=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_form.html", {"pemda": pemda, "form": form}, status=status)


@pemda_view("users.manage")
@require_POST
def user_add_existing(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = ExistingUserRoleForm(request.POST, pemda=pemda)
    if form.is_valid():
        user = (
            get_user_model()
            .objects.filter(username=form.cleaned_data["username"].strip(), is_active=True)
            .first()
        )
        if user is None:
            form.add_error("username", _("Tidak ada akun aktif dengan nama pengguna itu."))
        else:
            if _grant_from_form(request, form, user):
                messages.success(request, _("Peran ditambahkan untuk %(u)s.") % {"u": user.username})
                return redirect("users:user_detail", kode=pemda.kode, user_id=user.pk)
    messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("users:user_list", kode=pemda.kode)


@pemda_view("users.manage")
@require_http_methods(["GET", "POST"])
def user_detail(request: PemdaRequest, user_id: int) -> HttpResponse:
    pemda = request.pemda
    user = selectors.pemda_user(pemda=pemda, user_id=user_id)
    if user is None:
        raise NotFoundError(_("Pengguna tidak memiliki peran di pemda ini."))
    form = RoleAddForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid() and _grant_from_form(request, form, user):
        messages.success(request, _("Peran ditambahkan."))
        return redirect("users:user_detail", kode=pemda.kode, user_id=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/user_detail.html",
        {"pemda": pemda, "member": _labelled(user), "form": form},
        status=status,
    )


@pemda_view("users.manage")
@require_POST
def role_revoke_view(request: PemdaRequest, user_id: int, assignment_id: int) -> HttpResponse:
    pemda = request.pemda
    assignment = role_revoke(actor=request.user, pemda=pemda, assignment_id=assignment_id)
    messages.success(request, _("Peran %(r)s dicabut.") % {"r": ROLE_LABELS[Role(assignment.role)]})
    if selectors.pemda_user(pemda=pemda, user_id=user_id) is None:
        return redirect("users:user_list", kode=pemda.kode)
    return redirect("users:user_detail", kode=pemda.kode, user_id=user_id)
