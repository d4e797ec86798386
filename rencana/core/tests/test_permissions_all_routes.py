"""Generated permission and no-leak tests over EVERY route of the project.

The routes are enumerated at collection time, so a new page or API operation is tested the moment
it is mounted, with no test written for it:

* pages: every URL pattern of the project's URLconf (walked recursively). Each view must be marked
  `public_view`, `login_view` or `pemda_view(...)` (rencana.core.access / accounts.scope); a view
  without a marker fails `test_every_page_route_is_classified`.
* API: every operation (path x method) of the OpenAPI document at /api/v1/openapi.json. An operation
  without `security` in the document is public (ninja leaves it out for `auth=None`).

Path parameters are filled from `Tenant.samples()` (rencana/core/tests/conftest.py): a route with a
parameter that table does not know fails and names the parameter to add.
"""

import inspect
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from rencana.api import api
from rencana.core.roles import OPD_BOUND_ROLES, Role, roles_with
from rencana.core.tests.conftest import A_MARKERS, Tenant, World
from rencana.planning.models import PlanNode
from rencana.regions.models import Opd

pytestmark = pytest.mark.django_db

API_NAMESPACE = "api"
API_PREFIX = reverse(f"{API_NAMESPACE}:api-root")

# Routes that carry no access marker on purpose: (namespace, url name) or a view's dotted path.
UNMARKED_ALLOWED: dict[str, str] = {
    "django.views.static.serve": "media/static files served by Django in DEBUG only",
    f"{API_NAMESPACE}:api-root": "ninja's API root; the operations are checked from the OpenAPI document",
    f"{API_NAMESPACE}:openapi-json": "the public OpenAPI document",
    f"{API_NAMESPACE}:openapi-view": "the public API documentation page",
}
# Of those, the ones whose GET is checked for leaks like any public page.
UNMARKED_PUBLIC_GET = {f"{API_NAMESPACE}:openapi-json", f"{API_NAMESPACE}:openapi-view"}

PARAM_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


# --------------------------------------------------------------------------------------------
# Enumeration (collection time)


@dataclass(frozen=True)
class Route:
    route: str  # "/pemda/<str:kode>/opd/<int:opd_id>/"
    name: str  # "regions:opd_edit"
    view: Callable[..., Any]
    params: tuple[str, ...]
    namespace: str
    is_regex: bool

    @property
    def view_path(self) -> str:
        return f"{getattr(self.view, '__module__', '?')}.{getattr(self.view, '__qualname__', '?')}"

    @property
    def access(self) -> str | None:
        return getattr(self.view, "rencana_access", None)

    @property
    def permission(self) -> str | None:
        return getattr(self.view, "rencana_permission", None)

    @property
    def is_api(self) -> bool:
        return self.namespace.split(":")[0] == API_NAMESPACE

    @property
    def allow_listed(self) -> bool:
        return self.name in UNMARKED_ALLOWED or self.view_path in UNMARKED_ALLOWED

    @property
    def methods(self) -> tuple[str, ...]:
        return allowed_methods(self.view)

    def url(self, samples: dict[str, Any]) -> str:
        missing = [p for p in self.params if p not in samples]
        if missing:
            pytest.fail(
                f"Route {self.route} ({self.name}) has path parameter(s) {missing} with no sample value: "
                "add them to Tenant.samples() in rencana/core/tests/conftest.py"
            )
        return PARAM_RE.sub(lambda m: str(samples[m.group("name")]), self.route)

    def __str__(self) -> str:
        return f"{self.route} ({self.name})"


def _pattern_params(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return tuple(m.group("name") for m in PARAM_RE.finditer(str(pattern)))


def _walk(resolver: URLResolver, prefix: str, namespace: str, is_regex: bool) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        regex = is_regex or not isinstance(entry.pattern, RoutePattern)
        if isinstance(entry, URLResolver):
            ns = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from _walk(entry, prefix + str(entry.pattern), ns, regex)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(
                route="/" + route,
                name=name,
                view=entry.callback,
                params=tuple(m.group("name") for m in PARAM_RE.finditer(route))
                or _pattern_params(entry.pattern),
                namespace=namespace,
                is_regex=regex,
            )


def allowed_methods(view: Callable[..., Any]) -> tuple[str, ...]:
    """HTTP methods a view accepts, read from `require_http_methods` (or a class-based view)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        names = getattr(view_class, "http_method_names", ["get", "post"])
        return tuple(m.upper() for m in ("get", "post") if m in names and hasattr(view_class, m))
    fn: Any = view
    for _depth in range(10):
        if fn is None:
            break
        try:
            nonlocals = inspect.getclosurevars(fn).nonlocals
        except TypeError:
            nonlocals = {}
        if "request_method_list" in nonlocals:
            return tuple(m.upper() for m in nonlocals["request_method_list"] if m.upper() in ("GET", "POST"))
        fn = getattr(fn, "__wrapped__", None)
    return ("GET", "POST")


ALL_ROUTES: list[Route] = list(_walk(get_resolver(), "", "", False))
PAGE_ROUTES = [r for r in ALL_ROUTES if not r.is_api]
API_ROUTES = [r for r in ALL_ROUTES if r.is_api]
GUARDED_PAGES = [r for r in PAGE_ROUTES if r.access in ("login", "pemda")]
PEMDA_PAGES = [r for r in PAGE_ROUTES if r.access == "pemda"]


def _page_cases(routes: list[Route]) -> list[Any]:
    return [pytest.param(r, m, id=f"{m} {r.route}") for r in routes for m in r.methods]


def _route_ids(routes: list[Route]) -> list[Any]:
    return [pytest.param(r, id=r.route) for r in routes]


OPENAPI: dict[str, Any] = api.get_openapi_schema(path_prefix=API_PREFIX)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    path: str  # "/api/v1/pemda/{kode}/opd/{opd_id}"
    method: str  # "POST"
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", ""))

    @property
    def public(self) -> bool:
        return not self.spec.get("security")

    @property
    def params(self) -> list[dict[str, Any]]:
        return list(self.spec.get("parameters", []))

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))

    @property
    def tenant(self) -> bool:
        """An operation inside one pemda (its path names the pemda)."""
        return "kode" in self.path_params

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


API_OPERATIONS = [
    Operation(path=path, method=method.upper(), spec=spec)
    for path, item in OPENAPI["paths"].items()
    for method, spec in item.items()
    if method in HTTP_METHODS
]


def _op_ids(operations: list[Operation]) -> list[Any]:
    return [pytest.param(o, id=str(o)) for o in operations]


PROTECTED_OPS = [o for o in API_OPERATIONS if not o.public]
TENANT_OPS = [o for o in PROTECTED_OPS if o.tenant]
OWN_OPS = [o for o in PROTECTED_OPS if not o.tenant]
GET_OPS = [o for o in API_OPERATIONS if o.method == "GET"]

# Operations that an operator_opd may legitimately call to write (none yet): the test then checks
# them with another OPD's id instead of expecting 403 outright.
OPERATOR_OPD_MAY_WRITE: frozenset[str] = frozenset(
    {
        # e-Monev: an operator saves and submits its own OPD's realization (another OPD's node: 404).
        "rencana_monitoring_api_monev_realization_save",
        "rencana_monitoring_api_monev_realization_submit",
    }
)
# Write operations that admin_pemda may not call, with the role their positive control calls them as
# (e-Monev: the OPD operator enters realization, a verifier verifies). For an OPD-bound role the
# sample node is first given to that operator's OPD.
POSITIVE_CONTROL_ROLES: dict[str, Role] = {
    "rencana_monitoring_api_monev_realization_save": Role.OPERATOR_OPD,
    "rencana_monitoring_api_monev_realization_submit": Role.OPERATOR_OPD,
    "rencana_monitoring_api_monev_realization_verify": Role.VERIFIKATOR,
    "rencana_monitoring_api_monev_realization_return": Role.VERIFIKATOR,
}
# Per-operation request bodies when the one built from the schema is not good enough.
BODY_OVERRIDES: dict[str, dict[str, Any]] = {}


# --------------------------------------------------------------------------------------------
# Helpers


def response_text(response: HttpResponseBase) -> str:
    """Everything a user could read in a response, including the cells of an XLSX export."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(raw), read_only=True)
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells)
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        # Undo \uXXXX escapes so markers with non-ASCII neighbours are still found.
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def assert_no_leak(response: HttpResponseBase, where: str, extra: tuple[str, ...] = ()) -> None:
    text = response_text(response)
    leaked = [m for m in (*A_MARKERS, *extra) if m in text]
    assert not leaked, f"{where}: response shows pemda A's data {leaked}"


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def send(client: Client, method: str, url: str, **extra: Any) -> HttpResponseBase:
    if method == "GET":
        return client.get(url, **extra)
    return client.generic(method, url, **extra)


def status_line(response: HttpResponseBase) -> str:
    return f"{response.status_code} {response.get('Location', '')}".strip()


def role_granting(permission: str) -> Role:
    """A role holding `permission`, preferring the widest (admin) one."""
    granted = roles_with(permission)
    if Role.ADMIN_PEMDA in granted:
        return Role.ADMIN_PEMDA
    return sorted(granted, key=lambda r: (r in OPD_BOUND_ROLES, r.value))[0]


def opd_state(tenant: Tenant) -> list[tuple[Any, ...]]:
    return list(
        Opd.objects.filter(pemda=tenant.pemda)
        .order_by("pk")
        .values_list("pk", "kode", "nama", "aktif", "version")
    )


# --------------------------------------------------------------------------------------------
# Enumeration sanity


def test_routes_were_enumerated() -> None:
    assert len(PAGE_ROUTES) >= 20
    assert PEMDA_PAGES
    assert len(API_OPERATIONS) >= 6
    assert TENANT_OPS and OWN_OPS


@pytest.mark.parametrize("route", _route_ids(PAGE_ROUTES))
def test_every_page_route_is_classified(route: Route) -> None:
    if route.allow_listed:
        return
    assert route.access in ("public", "login", "pemda"), (
        f"View {route.view_path} of {route} has no access marker: decorate it with public_view, "
        "login_view (rencana.core.access) or pemda_view(permission) (rencana.accounts.scope)"
    )
    if route.access == "pemda":
        assert route.permission, f"{route}: pemda_view without a permission"
        roles_with(route.permission)  # a known permission
        assert route.params[:1] == ("kode",), f"{route}: a pemda page must start with /pemda/<kode>/"


@pytest.mark.parametrize("route", _route_ids(API_ROUTES))
def test_every_api_url_is_in_the_openapi_document(route: Route) -> None:
    """An API URL that is not in the document (include_in_schema=False) would escape the API tests."""
    if route.allow_listed:
        return
    documented = PARAM_RE.sub(lambda m: "{" + m.group("name") + "}", route.route)
    assert documented in OPENAPI["paths"], f"{route} is not in the OpenAPI document"


def test_the_served_openapi_document_is_the_one_enumerated(client: Client) -> None:
    response = client.get(reverse(f"{API_NAMESPACE}:openapi-json"))
    assert response.status_code == 200
    served = response.json()
    assert {(p, m) for p, item in served["paths"].items() for m in item} == {
        (p, m) for p, item in OPENAPI["paths"].items() for m in item
    }


# --------------------------------------------------------------------------------------------
# Pages


@pytest.mark.parametrize(("route", "method"), _page_cases(GUARDED_PAGES))
def test_anonymous_is_sent_to_login(world: World, route: Route, method: str) -> None:
    response = send(Client(), method, route.url(world.a.samples()))
    if response.status_code == 302:
        assert response["Location"].startswith(login_url()), f"{method} {route}: {status_line(response)}"
    else:
        assert response.status_code in (401, 403, 404), f"{method} {route}: {status_line(response)}"


@pytest.mark.parametrize(("route", "method"), _page_cases(PEMDA_PAGES))
def test_users_of_another_pemda_cannot_open_pemda_a_pages(
    world: World, b_principals: Callable[[], list[tuple[str, User]]], route: Route, method: str
) -> None:
    url = route.url(world.a.samples())
    before = opd_state(world.a)
    failures = []
    for label, user in b_principals():
        response = send(world.session(user), method, url)
        if response.status_code not in (403, 404):
            failures.append(f"{label}: {status_line(response)}")
        else:
            assert_no_leak(response, f"{method} {url} as {label}")
    assert not failures, f"{method} {url} must be 403/404 for users of pemda B: {failures}"
    assert opd_state(world.a) == before


@pytest.mark.parametrize(("route", "method"), _page_cases(PEMDA_PAGES))
def test_members_without_the_permission_are_forbidden(world: World, route: Route, method: str) -> None:
    assert route.permission
    url = route.url(world.a.samples())
    failures = []
    for role in sorted(set(Role) - roles_with(route.permission)):
        response = send(world.session(world.user(world.a, role)), method, url)
        if response.status_code != 403:
            failures.append(f"{role.value}: {status_line(response)}")
    assert not failures, f"{method} {url} needs {route.permission}; others must get 403: {failures}"


@pytest.mark.parametrize("route", _route_ids([r for r in PEMDA_PAGES if "GET" in r.methods]))
def test_positive_control_a_member_with_the_permission_opens_the_page(world: World, route: Route) -> None:
    assert route.permission
    role = role_granting(route.permission)
    url = route.url(world.a.samples())
    response = world.session(world.user(world.a, role)).get(url)
    assert response.status_code == 200, f"GET {url} as {role.value} of pemda A: {status_line(response)}"


def test_positive_control_markers_are_visible_to_pemda_a(world: World) -> None:
    """The no-leak checks are meaningful: A's markers do show up in A's own pages and exports."""
    client = world.session(world.a.admin)
    kode = world.a.pemda.kode
    for name in ("regions:opd_list", "regions:opd_export"):
        text = response_text(client.get(reverse(name, kwargs={"kode": kode})))
        assert "Dinas Rahasia Kotabaru" in text, name
    assert "Token Rahasia Kotabaru" in response_text(client.get(reverse("accounts:profile")))


@pytest.mark.parametrize(("route", "method"), _page_cases([r for r in PAGE_ROUTES if r.access == "login"]))
def test_login_pages_never_act_on_another_users_objects(
    world: World, b_principals: Callable[[], list[tuple[str, User]]], route: Route, method: str
) -> None:
    """Own-user pages: user B with user A's object ids gets 404; without ids, sees only B's objects."""
    url = route.url(world.a.samples())
    object_params = [p for p in route.params if p != "kode"]
    failures = []
    for label, user in [("admin B", world.b.admin), *b_principals()[:2]]:
        response = send(world.session(user), method, url)
        if response.status_code >= 500 or (object_params and response.status_code not in (403, 404)):
            failures.append(f"{label}: {status_line(response)}")
        assert_no_leak(response, f"{method} {url} as {label}")
    assert not failures, f"{method} {url}: {failures}"
    world.a.token.refresh_from_db()
    assert world.a.token.dicabut is None, "user A's token was revoked by another user"


def _no_leak_routes() -> list[Any]:
    routes = [
        r
        for r in PAGE_ROUTES
        if "GET" in r.methods and (r.access is not None or r.name in UNMARKED_PUBLIC_GET)
    ]
    routes += [r for r in API_ROUTES if r.name in UNMARKED_PUBLIC_GET]
    return _route_ids(list(dict.fromkeys(routes)))


@pytest.mark.parametrize("route", _no_leak_routes())
def test_no_page_shows_pemda_a_data_to_outsiders(world: World, route: Route) -> None:
    """Every GET page, public ones too, opened by anonymous and by pemda B's admin on B's own objects."""
    url = route.url(world.b.samples())
    for label, client in (("anonymous", Client()), ("admin B", world.session(world.b.admin))):
        response = client.get(url, follow=True)
        assert response.status_code < 500, f"GET {url} as {label}: {response.status_code}"
        assert_no_leak(response, f"GET {url} as {label}")


# Query parameters the pages read, all at once with hostile values (NUL, out of range, malformed).
HOSTILE_QUERY = (
    "q=%00&status=%00&page=-1&page_size=x&dari=2024-13-45&sampai=%00&pelaku=%00&aksi=%00&jenis=%00"
)


@pytest.mark.parametrize("route", _route_ids([r for r in PAGE_ROUTES if "GET" in r.methods and r.access]))
def test_pages_survive_hostile_input(world: World, route: Route) -> None:
    """Input a user can type never makes a page answer 500 (PostgreSQL refuses NUL characters)."""
    samples = world.b.samples()
    urls = [route.url(samples) + "?" + HOSTILE_QUERY]
    if "kode" in route.params:
        urls.append(route.url({**samples, "kode": samples["kode"] + "%00"}))
    failures = []
    for url in urls:
        for label, client in (("anonymous", Client()), ("admin B", world.session(world.b.admin))):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"GET {url} as {label}: {response.status_code}")
    assert not failures, failures


# --------------------------------------------------------------------------------------------
# API


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = OPENAPI["components"]["schemas"][name]
    return schema


def example_from_schema(schema: dict[str, Any]) -> Any:
    """A minimal valid value for a JSON schema (required properties only)."""
    schema = _resolve(schema)
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return example_from_schema(schema[key][0])
    kind = schema.get("type", "object")
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        return {name: example_from_schema(props.get(name, {})) for name in required}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    min_length = int(schema.get("minLength", 0))
    return "Contoh uji" + "x" * max(0, min_length - 10)


def build_request(op: Operation, samples: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    missing = [p for p in op.path_params if p not in samples]
    if missing:
        pytest.fail(
            f"API operation {op} has path parameter(s) {missing} with no sample value: "
            "add them to Tenant.samples() in rencana/core/tests/conftest.py"
        )
    url = re.sub(r"{(\w+)}", lambda m: str(samples[m.group(1)]), op.path)
    query = {
        p["name"]: samples.get(p["name"], example_from_schema(p.get("schema", {})))
        for p in op.params
        if p.get("in") == "query" and p.get("required")
    }
    body = None
    content = op.spec.get("requestBody", {}).get("content", {})
    if content:
        assert "application/json" in content, f"{op}: only JSON request bodies are handled here"
        body = BODY_OVERRIDES.get(op.operation_id) or example_from_schema(
            content["application/json"]["schema"]
        )
    return url, query, body


def call_api(
    op: Operation, samples: dict[str, Any], *, token: str | None = None, client: Client | None = None
) -> Any:
    url, query, body = build_request(op, samples)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = client or Client()
    if body is None:
        return client.generic(op.method, url, headers=headers)
    return client.generic(
        op.method, url, data=json.dumps(body), content_type="application/json", headers=headers
    )


def assert_error_body(response: Any, where: str) -> None:
    assert response.get("Content-Type", "").startswith("application/json"), f"{where}: not JSON"
    body = response.json()
    assert isinstance(body, dict) and body.get("detail"), f"{where}: error body without detail: {body}"


@pytest.mark.parametrize("op", _op_ids(PROTECTED_OPS))
def test_api_anonymous_gets_401(world: World, op: Operation) -> None:
    response = call_api(op, world.a.samples())
    assert response.status_code == 401, f"{op} anonymous: {response.status_code} {response.content[:300]!r}"
    assert_error_body(response, f"{op} anonymous")
    bad = call_api(op, world.a.samples(), token="rcn_bukan-token-yang-sah")
    assert bad.status_code == 401, f"{op} with an unknown token: {bad.status_code}"
    assert_error_body(bad, f"{op} unknown token")


@pytest.mark.parametrize("op", _op_ids(TENANT_OPS))
def test_api_users_of_another_pemda_get_403_or_404(
    world: World, b_principals: Callable[[], list[tuple[str, User]]], op: Operation
) -> None:
    before = opd_state(world.a)
    failures = []
    callers: list[tuple[str, dict[str, Any]]] = [
        (label, {"token": world.token(user)}) for label, user in b_principals()
    ]
    callers.append(("admin B (sesi)", {"client": world.session(world.b.admin)}))
    for label, how in callers:
        response = call_api(op, world.a.samples(), **how)
        if response.status_code not in (403, 404):
            failures.append(f"{label}: {response.status_code} {response.content[:200]!r}")
            continue
        assert_error_body(response, f"{op} as {label}")
        assert_no_leak(response, f"{op} as {label}")
    assert not failures, f"{op} with pemda A's ids must be 403/404 for users of pemda B: {failures}"
    assert opd_state(world.a) == before, f"{op}: pemda A's data changed by an outsider"


@pytest.mark.parametrize("op", _op_ids([o for o in TENANT_OPS if o.writes]))
def test_api_operator_opd_cannot_manage(world: World, op: Operation) -> None:
    operator = world.user(world.a, Role.OPERATOR_OPD, world.a.opd)
    samples = {**world.a.samples(), "opd_id": world.a.other_opd.pk}
    before = opd_state(world.a)
    response = call_api(op, samples, token=world.token(operator))
    expected = (403, 404) if op.operation_id in OPERATOR_OPD_MAY_WRITE else (403,)
    assert response.status_code in expected, f"{op} as operator_opd of A: {response.status_code}"
    assert_error_body(response, f"{op} as operator_opd")
    assert opd_state(world.a) == before


@pytest.mark.parametrize("op", _op_ids(OWN_OPS))
def test_api_own_account_operations_show_only_the_callers_data(
    world: World, b_principals: Callable[[], list[tuple[str, User]]], op: Operation
) -> None:
    """Authenticated operations outside any pemda (my account, my pemda list): nothing of A for B."""
    extra = (world.a.pemda.nama, f'"{world.a.pemda.kode}"')
    for label, user in [("admin B", world.b.admin), *b_principals()]:
        response = call_api(op, world.b.samples(), token=world.token(user))
        assert response.status_code < 500, f"{op} as {label}: {response.status_code}"
        assert_no_leak(response, f"{op} as {label}", extra)


@pytest.mark.parametrize("op", _op_ids([o for o in TENANT_OPS if o.method == "GET"]))
def test_api_positive_control_admin_of_pemda_a_reads(world: World, op: Operation) -> None:
    response = call_api(op, world.a.samples(), token=world.a.token_raw)
    assert response.status_code == 200, f"{op} as admin A: {response.status_code} {response.content[:300]!r}"


@pytest.mark.parametrize("op", _op_ids([o for o in TENANT_OPS if o.writes]))
def test_api_positive_control_example_bodies_are_accepted(world: World, op: Operation) -> None:
    """The bodies built for the checks above are valid: an admin of pemda A gets past validation."""
    token = world.a.token_raw
    role = POSITIVE_CONTROL_ROLES.get(op.operation_id)
    if role is not None:
        if role in OPD_BOUND_ROLES:
            PlanNode.objects.filter(pk=world.a.node.pk).update(opd=world.a.opd)
        token = world.token(world.user(world.a, role))
    response = call_api(op, world.a.samples(), token=token)
    assert response.status_code in (200, 201, 204, 400, 409), (
        f"{op} as admin A with {build_request(op, world.a.samples())[2]}: "
        f"{response.status_code} {response.content[:300]!r} (add a body to BODY_OVERRIDES)"
    )


def test_api_positive_control_markers_are_visible_to_pemda_a(world: World) -> None:
    response = Client().get(
        f"{API_PREFIX}pemda/{world.a.pemda.kode}/opd",
        headers={"Authorization": f"Bearer {world.a.token_raw}"},
    )
    assert response.status_code == 200
    assert "Dinas Rahasia Kotabaru" in response_text(response)


@pytest.mark.parametrize("op", _op_ids(GET_OPS))
def test_api_no_get_shows_pemda_a_data_to_outsiders(world: World, op: Operation) -> None:
    """Every GET operation, public ones too, called by anonymous and by B's admin on B's own objects."""
    callers: list[tuple[str, str | None]] = [("anonymous", None), ("admin B", world.b.token_raw)]
    for label, token in callers:
        response = call_api(op, world.b.samples(), token=token)
        assert response.status_code < 500, f"{op} as {label}: {response.status_code}"
        assert_no_leak(response, f"{op} as {label}")
