"""The contract as data, derived from the code: every function of `functions/main.py` with its
`FunctionSpec`, its request and response models, what its code can raise (`reach.py`), the
error catalog and the readable Firestore documents (`rules.py`).

Nothing here is written by hand, so a merge that adds a callable, a model or a code needs only
`./dev contract`. Output is deterministic: sorted keys, no timestamps, no environment.
"""

import importlib
import inspect
import re
import string
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from shared import VERSION
from shared.contract.reach import ROOT, CodeBase, Node
from shared.contract.rules import readable_documents, rule_functions
from shared.errors import HTTP_STATUS, LANGUAGES, catalog
from shared.web import ratelimit

PAYLOAD_DEPTH = 3
REF = "#/$defs/{model}"


class _Schema(GenerateJsonSchema):
    def field_is_required(self, field: Any, total: bool) -> bool:
        # A response is dumped whole (no exclude_none): every field is present, defaults too.
        if self.mode == "serialization":
            return not field.get("serialization_exclude")
        return super().field_is_required(field, total)


def _functions() -> dict[str, Any]:
    from shared.dev.server import discover

    return discover()


def _closure(fn: Callable[..., Any]) -> dict[str, Any]:
    return inspect.getclosurevars(inspect.unwrap(fn)).nonlocals


def _request_model(fn: Callable[..., Any]) -> type[BaseModel]:
    spec = fn.__deploy__
    model = getattr(spec, "request_model", None) or _closure(fn).get("request_model")
    if model is None:  # the handler's annotation, where the decorator keeps no model
        model = next(iter(typing.get_type_hints(fn.handler).values()))
    return model


def _response_model(fn: Callable[..., Any]) -> type[BaseModel] | None:
    answer = typing.get_type_hints(fn.handler).get("return")
    return answer if isinstance(answer, type) and issubclass(answer, BaseModel) else None


def _auth_mode(fn: Callable[..., Any]) -> str:
    return getattr(fn.__deploy__, "auth", None) or _closure(fn).get("auth") or "required"


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _limits_in(table: Any, names: set[str], path: tuple[str, ...] = ()):
    if isinstance(table, dict):
        for key, value in table.items():
            if key in names:
                yield key, path, value
            else:
                yield from _limits_in(value, names, (*path, str(key)))


def _rate_limits(names: set[str]) -> dict[str, Any]:
    """The default limits (not this machine's RATE_LIMITS) of the actions `names`, found in
    every `DEFAULT*` table of shared/web/ratelimit.py at any depth (a limit per tier is keyed
    by its tier), so the module may change shape without this changing."""
    found: dict[str, Any] = {}
    for table_name in sorted(n for n in dir(ratelimit) if n.startswith("DEFAULT")):
        for name, path, limit in _limits_in(getattr(ratelimit, table_name), names):
            if path:
                found.setdefault(name, {})[".".join(path)] = _jsonable(limit)
            else:
                found[name] = _jsonable(limit)
    return {name: found[name] for name in sorted(found)}


def _spec_actions(spec: Any) -> set[str]:
    """Rate-limit actions or tiers a FunctionSpec may name (a field with "rate" in its name)."""
    fields = getattr(spec, "__dataclass_fields__", {})
    return {str(v) for k in fields if "rate" in k and (v := getattr(spec, k)) is not None}


def _entry(code: CodeBase, fn: Callable[..., Any]) -> Node:
    from functions.main import MODULE_OF

    return code.node(MODULE_OF[fn.__name__], fn.__name__)


def _actions(code: CodeBase, nodes: list[Node]) -> set[str]:
    """Literal actions passed to shared/web/ratelimit.py's functions."""
    return {
        text
        for node in nodes
        for callee, text in node.calls
        if text and (target := code.resolve(node, callee)) and target.module == ratelimit.__name__
    }


def _parsed_models(code: CodeBase, fn: Callable[..., Any]) -> list[type[BaseModel]]:
    """The models a webhook parses what it receives with: those parsed within a few calls of
    its entry point (further away, it parses its own documents)."""
    found = {}
    for node in code.reach([_entry(code, fn)], depth=PAYLOAD_DEPTH):
        for callee, _ in node.calls:
            parser = callee[-1] in ("model_validate_json", "model_validate")
            if parser and (target := code.resolve(node, callee[:-1])):
                model = getattr(importlib.import_module(target.module), target.name, None)
                if isinstance(model, type) and issubclass(model, BaseModel):
                    found[f"{model.__module__}.{model.__qualname__}"] = model
    return [found[k] for k in sorted(found)]


def _placeholders(template: str) -> list[str]:
    return sorted({f for _, f, _, _ in string.Formatter().parse(template) if f})


def error_catalog() -> dict[str, Any]:
    """Code -> callable status, HTTP status, placeholders and the message in each language."""
    return {
        code: {
            "status": entry.status.value,
            "httpStatus": HTTP_STATUS[entry.status],
            "placeholders": sorted(
                {p for lang in LANGUAGES for p in _placeholders(getattr(entry, lang))}
            ),
            "messages": {lang: getattr(entry, lang) for lang in LANGUAGES},
        }
        for code, entry in sorted(catalog().items())
    }


def _doc(fn: Callable[..., Any]) -> str:
    return " ".join((inspect.getdoc(fn) or "").split())


def build() -> dict[str, Any]:
    """The whole contract as one JSON Schema document (models under `$defs`)."""
    code = CodeBase()
    functions = _functions()
    models: dict[tuple[type[BaseModel], str], None] = {}
    callables, webhooks, events, jobs = {}, {}, {}, {}
    for name, fn in sorted(functions.items()):
        spec = fn.__deploy__
        nodes = code.reach([_entry(code, fn)])
        errors = sorted(set().union(*(n.codes for n in nodes)))
        if spec.kind == "callable":
            request, response = _request_model(fn), _response_model(fn)
            models[(request, "validation")] = None
            if response is not None:
                models[(response, "serialization")] = None
            callables[name] = {
                "description": _doc(fn),
                "request": request,
                "response": response,
                "auth": _auth_mode(fn),
                "appCheck": _jsonable(getattr(spec, "app_check", None)),
                "rateLimits": _rate_limits(_actions(code, nodes) | _spec_actions(spec) | {name}),
                "errors": errors,
            }
        elif spec.kind == "http":
            parsed = _parsed_models(code, fn)
            models.update({(m, "validation"): None for m in parsed})
            webhooks[name] = {
                "description": _doc(fn),
                "method": "POST",
                "parses": parsed,
                "errors": errors,
            }
        else:
            entry = {"description": _doc(fn), "topic": spec.topic, "errors": errors}
            if spec.kind == "scheduled":
                jobs[name] = {**entry, "everyMinutes": spec.every_minutes}
            else:
                events[name] = entry
    refs, defs = models_json_schema(list(models), ref_template=REF, schema_generator=_Schema)
    ref_of = {model: refs[(model, mode)]["$ref"] for model, mode in models}

    def ref(model: type[BaseModel] | None) -> dict[str, Any] | None:
        return {"$ref": ref_of[model]} if model is not None else None

    for entry in callables.values():
        entry["request"], entry["response"] = ref(entry["request"]), ref(entry["response"])
    for entry in webhooks.values():
        entry["parses"] = [ref(m) for m in entry["parses"]]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Callable contract",
        "description": "Generated by ./dev contract from the code; do not edit.",
        "version": VERSION,
        "protocol": {
            "request": '{"data": <request>} POSTed with Authorization: Bearer <Firebase ID token>',
            "result": '{"result": <response>}',
            "error": '{"error": {"status", "message", "details": {"code": "ERR_nnnn", ...}}}',
            "languages": list(LANGUAGES),
        },
        "callables": callables,
        "webhooks": webhooks,
        "events": events,
        "scheduledJobs": jobs,
        "errors": error_catalog(),
        "firestore": {
            "documents": [d.model_dump() for d in readable_documents(ROOT / "firestore.rules")],
            "functions": rule_functions(ROOT / "firestore.rules"),
        },
        "$defs": defs.get("$defs", {}),
    }


def unreached_codes(contract: dict[str, Any]) -> dict[str, list[str]]:
    """Catalog codes no function can raise, and raised codes the catalog lacks."""
    raised = {
        c
        for group in ("callables", "webhooks", "events", "scheduledJobs")
        for f in contract[group].values()
        for c in f["errors"]
    }
    known = set(catalog())
    return {"unused": sorted(known - raised), "unknown": sorted(raised - known)}


def pascal(name: str) -> str:
    """A definition's name as quicktype names its type (`_Item` -> `Item`)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)
