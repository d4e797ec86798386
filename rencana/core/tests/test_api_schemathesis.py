"""Property-based run of schemathesis over the WHOLE OpenAPI document, in-process (WSGI).

Every operation gets generated requests (valid and invalid) with a valid bearer token of an
admin_pemda whose pemda has OPDs; path parameters are steered to that pemda's code and OPD ids part
of the time so the deeper code paths run, not only "not found". Checks: no 5xx, every status code
documented, content type and body as documented.

The run is in-process and in the test's database transaction: the WSGI app is called in this
thread, so it uses the test connection (Django's `close_old_connections` signal handlers are
disconnected meanwhile, as Django's own test client does).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rencana.accounts.services import role_assign, token_create
from rencana.core.roles import Role
from rencana.regions.models import Opd, Pemda

application = get_wsgi_application()

CONFIG = schemathesis.Config(seed=20260101)
CONFIG.projects.default.generation.update(max_examples=40, deterministic=True, database="none")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@dataclass
class Target:
    """The pemda the generated requests aim at (filled by the `target` fixture before generation)."""

    kode: str = ""
    opd_ids: list[int] = field(default_factory=list)
    token: str = ""


TARGET = Target()


@schema.hook
def flatmap_path_parameters(
    context: Any, path_parameters: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """Keep the generated value, or swap in the target pemda's real code / OPD ids (about 2 in 3)."""
    if not TARGET.kode or not path_parameters:
        return st.just(path_parameters)
    real: dict[str, Any] = dict(path_parameters)
    if "kode" in real:
        real["kode"] = TARGET.kode
    if "opd_id" in real and TARGET.opd_ids:
        return st.sampled_from(TARGET.opd_ids).flatmap(
            lambda opd_id: st.sampled_from([path_parameters, {**real, "opd_id": opd_id}, real])
        )
    return st.sampled_from([path_parameters, real, real])


@pytest.fixture
def target(pemda_a: Pemda, make_user: Any) -> Iterator[Target]:
    admin = make_user(Role.ADMIN_PEMDA, pemda_a)
    role_assign(actor=None, user=admin, pemda=pemda_a, role=Role.PERENCANA)
    _token, raw = token_create(user=admin, nama="schemathesis")
    TARGET.kode = pemda_a.kode
    TARGET.opd_ids = list(Opd.objects.filter(pemda=pemda_a).values_list("pk", flat=True))
    TARGET.token = raw
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield TARGET
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        TARGET.kode, TARGET.opd_ids, TARGET.token = "", [], ""


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixture is the data every generated request runs against, on purpose shared by all of them.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, target: Target) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {target.token}"}, checks=CHECKS)
