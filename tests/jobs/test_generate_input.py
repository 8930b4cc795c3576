"""Bad generate requests: each gets its own code, and nothing is written or sent."""

import pytest

from tests.jobs.fixtures import add_model, fund
from tests.support.store import all_documents


@pytest.fixture
def ready(store, provider):
    add_model("flux-dev", cost=2)
    add_model("retired", cost=2, available=False)
    fund("u1", 3)


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"modelId": "flux-dev", "prompt": "", "idempotencyKey": "k"}, 400, "ERR_4003"),
        ({"modelId": "flux-dev", "prompt": "  \n\t", "idempotencyKey": "k"}, 400, "ERR_4003"),
        ({"modelId": "flux-dev", "prompt": "x" * 2001, "idempotencyKey": "k"}, 400, "ERR_4003"),
        ({"modelId": "nope", "prompt": "a cat", "idempotencyKey": "k"}, 404, "ERR_4506"),
        ({"modelId": "retired", "prompt": "a cat", "idempotencyKey": "k"}, 400, "ERR_4002"),
        ({"modelId": "flux-dev", "prompt": "a cat"}, 400, "ERR_4018"),
        ({"modelId": "flux-dev", "prompt": "a cat", "idempotencyKey": ""}, 400, "ERR_4018"),
        ({"modelId": "flux-dev", "prompt": 5, "idempotencyKey": "k"}, 400, "ERR_4000"),
        ({"modelId": "../x", "prompt": "a cat", "idempotencyKey": "k"}, 400, "ERR_4030"),
        ({"prompt": "a cat", "idempotencyKey": "k"}, 400, "ERR_4000"),
        ({"modelId": "flux-dev", "prompt": "a", "idempotencyKey": "k", "x": 1}, 400, "ERR_4000"),
        (
            {"modelId": "flux-dev", "prompt": "a", "idempotencyKey": "k", "options": {"a": [1]}},
            400,
            "ERR_4000",
        ),
        (
            {"modelId": "flux-dev", "prompt": "a", "idempotencyKey": "k", "options": {"n": 9}},
            400,
            "ERR_4000",
        ),
    ],
    ids=[
        "empty-prompt",
        "blank-prompt",
        "oversize-prompt",
        "unknown-model",
        "disabled-model",
        "missing-key",
        "empty-key",
        "prompt-not-text",
        "bad-model-id",
        "no-model",
        "unknown-field",
        "nested-option",
        "option-not-allowed",
    ],
)
def test_bad_requests_are_refused_with_their_code(api, store, provider, ready, data, status, code):
    before = all_documents(store)
    assert api.error("generate", data, uid="u1")[:2] == (status, code)
    assert all_documents(store) == before
    assert provider.submits == []


def test_not_enough_credits_names_required_and_available(api, store, provider, ready):
    fund("u2", 1)
    before = all_documents(store)
    status, code, error = api.error(
        "generate", {"modelId": "flux-dev", "prompt": "a", "idempotencyKey": "k"}, uid="u2"
    )
    assert (status, code) == (400, "ERR_4001")
    assert (error["details"]["required"], error["details"]["available"]) == (2, 1)
    assert all_documents(store) == before


def test_without_a_token_nothing_happens(api, store, provider, ready):
    before = all_documents(store)
    assert api.error("generate", {"modelId": "flux-dev", "prompt": "a", "idempotencyKey": "k"})[
        :2
    ] == (401, "ERR_4011")
    assert all_documents(store) == before


def test_messages_are_localized(api, store, provider, ready):
    response = api.call(
        "generate",
        {"modelId": "flux-dev", "prompt": "", "idempotencyKey": "k"},
        uid="u1",
        headers={"Accept-Language": "es"},
    )
    assert response.json()["error"]["message"].startswith("La instrucción no es válida")
