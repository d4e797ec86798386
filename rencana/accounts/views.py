from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rencana.accounts.forms import ThrottledLoginForm, TokenCreateForm
from rencana.accounts.models import ApiToken, RoleAssignment
from rencana.accounts.scope import UserRequest
from rencana.accounts.services import token_create, token_revoke
from rencana.core.access import login_view, public_view
from rencana.core.errors import ApplicationError
from rencana.core.roles import ROLE_LABELS, Role

login = public_view(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=ThrottledLoginForm,
        redirect_authenticated_user=True,
    )
)
logout = public_view(auth_views.LogoutView.as_view())


def _profile_context(request: UserRequest, **extra: object) -> dict[str, object]:
    assignments = (
        RoleAssignment.objects.filter(user=request.user)
        .select_related("pemda", "opd")
        .order_by("pemda__kode", "role")
    )
    return {
        "assignments": [(a, ROLE_LABELS[Role(a.role)]) for a in assignments],
        "tokens": ApiToken.objects.filter(user=request.user),
        "token_form": TokenCreateForm(),
        **extra,
    }


@login_view
@require_http_methods(["GET"])
def profile(request: UserRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@login_view
@require_POST
def token_create_view(request: UserRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/profile.html", _profile_context(request, token_form=form), status=400
        )
    try:
        _token, raw = token_create(user=request.user, nama=form.cleaned_data["nama"])
    except ApplicationError as exc:
        form.add_error("nama", exc.message)
        return render(
            request, "accounts/profile.html", _profile_context(request, token_form=form), status=400
        )
    return render(request, "accounts/profile.html", _profile_context(request, new_token=raw))


@login_view
@require_POST
def token_revoke_view(request: UserRequest, token_id: int) -> HttpResponse:
    token = token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("Token “%(nama)s” telah dicabut.") % {"nama": token.nama})
    return redirect("accounts:profile")
