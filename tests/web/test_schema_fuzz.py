"""Schemathesis over ``/openapi.json``: no answer of any operation is a server error.

Every case is sent twice, signed in as the city's analyst and as 长兴县's county user (session
cookie and CSRF token), to an app over its own copy of the demo store (the fuzz changes
it: notices, objections, uploads), and checked for no server error and for conformance to
the documented response schema; every error answer must have the API's one error shape.
``SKIPPED`` says what is left out and why; the downloads that write whole documents get a
few examples only (``SETTINGS``).

The schema is read at import from an app over no store (``create_app`` only hands the
platform to the routes; the last test checks it is the one the server answers):
schemathesis's lazy loader, ``schemathesis.pytest.from_fixture``, sets
``Function._nodeid``, which pytest 9 no longer has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from jingxin.store import Store
from jingxin.web.app import create_app
from jingxin.web.platform import Platform
from jingxin.web.security import SESSION_COOKIE

from .conftest import COUNTY, make_client, own_copy, sign_in

CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
# Operations that write whole documents: a few examples. The reports' cases are cheap in the
# coverage phase (it rarely names a computed period); the enterprise export's are not (each
# writes a workbook of up to every enterprise of the city, about 2 s), so it is fuzzed only.
FEW = settings(FUZZ, max_examples=3)
SETTINGS = {
    "/api/reports/bulletin": FEW,
    "/api/reports/annual": FEW,
    "/api/exports/enterprises.xlsx": settings(FEW, phases=[Phase.generate]),
}


SCHEMA = schemathesis.openapi.from_dict(create_app(None).openapi())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fuzzed_platform(
    demo_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """Its own copy of the store: the fuzz publishes notices, files objections and uploads,
    which the other tests' shared platform must not see."""
    p = own_copy(demo_store, tmp_path_factory.mktemp("fuzz"))
    yield p
    p.close()


@pytest.fixture(scope="module")
def app(fuzzed_platform: Platform) -> Any:
    return create_app(fuzzed_platform)


@pytest.fixture(scope="module")
def identities(fuzzed_platform: Platform) -> dict[str, dict[str, str]]:
    """Request headers of a signed-in analyst and of a signed-in county user."""
    out = {}
    for username in ("analyst", f"county{COUNTY}"):
        client = make_client(fuzzed_platform)
        token = sign_in(client, username)
        cookie = client.cookies[SESSION_COOKIE]
        out[username] = {"Cookie": f"{SESSION_COOKIE}={cookie}", "X-CSRF-Token": token}
    return out


def assert_one_error_shape(response: Any) -> None:
    if response.status_code < 400:
        return
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message"}, body
    assert body["error"]["status"] == response.status_code, body
    assert isinstance(body["error"]["code"], str) and body["error"]["message"], body


def call_as_everyone(case: Any, app: Any, identities: dict[str, dict[str, str]]) -> None:
    for headers in identities.values():
        response = case.call_and_validate(headers=headers, checks=CHECKS, app=app)
        assert_one_error_shape(response)


def fuzz_test(method: str, path: str) -> Any:
    """A test of one operation (pytest 9 gives every item of one ``parametrize`` the same
    node id, so each operation gets a test function of its own, named after it)."""

    @pytest.mark.slow
    @SCHEMA.include(method=method, path=path).parametrize()
    @SETTINGS.get(path, FUZZ)
    def test(case: Any, app: Any, identities: dict[str, dict[str, str]]) -> None:
        call_as_everyone(case, app, identities)

    return test


SKIPPED = (
    "/api/auth/logout",
    "/api/evaluation/runs/{run_id}/workbook",
    "/api/evaluation/runs/{run_id}/notice-list",
    "/api/evaluation/runs/{run_id}/sensitivity",
)
OPERATIONS = [r.ok() for r in SCHEMA.get_all_operations()]
for _op in OPERATIONS:
    # logout would end the session the other cases use; the workbook and (once the fuzz has
    # published the notice) the 公示名单 as Word write the whole city's evaluation (30–40 s,
    # python-docx), past the client's 10 s: test_access.py and test_evaluation.py call them;
    # the sensitivity report starts a computation of a minute in a thread for every new set
    # of parameters, which would outlive the fuzz (test_sensitivity.py calls it)
    if _op.path in SKIPPED:
        continue
    _name = re.sub(r"\W+", "_", f"test_{_op.method}_{_op.path.strip('/')}").rstrip("_")
    globals()[_name] = fuzz_test(_op.method, _op.path)


def test_the_schema_fuzzed_is_the_one_served(app: Any) -> None:
    served = TestClient(app).get("/openapi.json").json()
    assert served == SCHEMA.raw_schema
    fuzzed = {n for n in globals() if n.startswith(("test_get_", "test_post_"))}
    assert "test_get_api_enterprises_uscc" in fuzzed
    assert len(fuzzed) == sum(len(ops) for ops in served["paths"].values()) - len(SKIPPED)
