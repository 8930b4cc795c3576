"""Base classes for wire and document models, and the one check of ids used in paths."""

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetPydanticSchema,
    WithJsonSchema,
    with_config,
)
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails, PydanticCustomError, core_schema

from shared.errors import AppError

# Firestore refuses ids over 1,500 bytes; ours are far shorter (uids are at most 128
# characters, Stripe ids about 60), so a longer id is a mistake or an attack.
DOCUMENT_ID_MAX_BYTES = 1500
DOCUMENT_ID_MAX_CHARS = 256
# The ValidationError type the callable layer answers with ERR_4030 (shared/web/functions.py).
DOCUMENT_ID_ERROR = "document_id"
_RESERVED = re.compile(r"__.*__", re.DOTALL)


def document_id_problem(value: str, max_chars: int = DOCUMENT_ID_MAX_CHARS) -> str | None:
    """Why `value` cannot be one segment of a document path, or None if it can.

    Firestore's rules for document ids (no '/', not '.' or '..', not `__.*__`, at most 1,500
    bytes), and our own length limit.
    """
    if not value:
        return "it is empty"
    if "/" in value:
        return "it contains '/'"
    if value in (".", ".."):
        return "it is '.' or '..'"
    if _RESERVED.fullmatch(value):
        return "ids of the form __name__ are reserved"
    if len(value.encode()) > DOCUMENT_ID_MAX_BYTES or len(value) > max_chars:
        return f"it is longer than {max_chars} characters"
    return None


def _problem(value: str, max_chars: int, pattern: str | None) -> str | None:
    problem = document_id_problem(value, max_chars)
    if problem is None and pattern is not None and not re.fullmatch(pattern, value):
        problem = "it has characters that are not allowed"
    return problem


def _checked(max_chars: int, pattern: str | None):
    # Ids that pass every check, matched in one call: the pattern, minus "/", "." and "..",
    # and reserved names; max_chars keeps them far below the byte limit.
    passes = (
        re.compile(rf"(?!.*/|\.\.?\Z|__.*__\Z)(?:{pattern})", re.DOTALL)
        if pattern and max_chars * 4 <= DOCUMENT_ID_MAX_BYTES
        else None
    )

    def check(value: str) -> str:
        if passes is not None and value and len(value) <= max_chars and passes.fullmatch(value):
            return value
        if (problem := _problem(value, max_chars, pattern)) is not None:
            raise PydanticCustomError(
                DOCUMENT_ID_ERROR, "not a valid id: {problem}", {"problem": problem}
            )
        return value

    return check


def _accepting_pattern(pattern: str | None) -> str | None:
    """For a pattern of one repeated character class without "/" and "." (`[A-Za-z0-9_-]+`),
    a regex without look-arounds (so pydantic-core runs it, in Rust) that matches exactly
    the ids the pattern allows and Firestore accepts: those not of the reserved `__name__`
    form. None for any other pattern."""
    shape = re.fullmatch(r"(\[[^\[\]]+\])\+", pattern or "")
    if shape is None or re.fullmatch(shape[1], "/") or re.fullmatch(shape[1], "."):
        return None
    c, d = shape[1], f"[{shape[1]}--_]"  # d: the class without "_" (Rust set difference)
    # Short, or not starting with "__", or not ending with "__".
    return rf"^(?:{c}{{1,3}}|{d}{c}*|_{d}{c}*|{c}*{d}|{c}*{d}_)$"


def id_error_problem(error: ErrorDetails) -> str:
    """Why the id in a DOCUMENT_ID_ERROR is not valid."""
    context = error.get("ctx", {})
    if "problem" in context:
        return context["problem"]
    return _problem(error["input"], context["max_chars"], context["pattern"]) or "it is invalid"


def document_id(max_chars: int = DOCUMENT_ID_MAX_CHARS, pattern: str | None = None) -> type[str]:
    """A str type for ids that become part of a document path, optionally narrowed by a
    `pattern` (full match) and a shorter `max_chars`; every failure is one error type."""
    accepting = _accepting_pattern(pattern)
    if accepting is None or max_chars * 4 > DOCUMENT_ID_MAX_BYTES:
        return Annotated[str, AfterValidator(_checked(max_chars, pattern))]  # type: ignore[return-value]
    # Checked without calling Python: a push validates 500 of these. A string that does not
    # match is a DOCUMENT_ID_ERROR whose problem `id_error_problem` tells.
    checked = core_schema.custom_error_schema(
        core_schema.str_schema(pattern=accepting, max_length=max_chars),
        custom_error_type=DOCUMENT_ID_ERROR,
        custom_error_message="not a valid id",
        custom_error_context={"max_chars": max_chars, "pattern": pattern},
    )
    schema = core_schema.chain_schema([core_schema.str_schema(), checked])
    # Described as the other ids are (a string), for requests and responses alike.
    described = WithJsonSchema({"type": "string"})
    return Annotated[str, GetPydanticSchema(lambda _t, _h: schema), described]  # type: ignore[return-value]


DocumentId = document_id()


def require_document_id(value: str, field: str) -> str:
    """`value` if it can be a document id; ERR_4030 otherwise (ids outside request models)."""
    if (problem := document_id_problem(value)) is not None:
        raise AppError("ERR_4030", field=field, problem=problem)
    return value


class WireModel(BaseModel):
    """A request or response on the wire: camelCase names, unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# Parts that come by the hundred or thousand (a push's entries and outcomes, a pulled page's
# entries) are TypedDicts: as models they cost up to three times as much to validate, build
# and serialize. Pydantic still types, validates, documents and serializes them, camelCase
# on the wire (and by field name from Python, as models take them).
wire_dict = with_config(ConfigDict(alias_generator=to_camel, extra="forbid", populate_by_name=True))


class Empty(WireModel):
    """A request that takes no arguments."""
