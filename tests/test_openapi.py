"""The management API against its own OpenAPI document: generated requests (schemathesis)
never get a 5xx, and every answer matches the published schema."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exsim_core.api import create_app
from exsim_core.config import build_daemon, parse_config

TOKEN = "fuzz-token"
CONFIG = {
    "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
    "venues": [
        {"name": "XSIM", "instruments": [{"asset_class": "equity", "symbol": "ACME"}]},
        {
            "name": "MGD",
            "engine": "managed",
            "instruments": [{"asset_class": "equity", "symbol": "ACME"}],
        },
    ],
}

daemon = build_daemon(parse_config(CONFIG))
daemon.open()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(daemon, TOKEN))


@pytest.mark.slow
@schema.parametrize()
@hypothesis.settings(
    max_examples=6, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_the_api_matches_its_openapi_document(case: Any) -> None:
    if case.query and "wait" in case.query:
        # a long poll waits for events no generated request causes: keep calls short
        case.query["wait"] = 0
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
