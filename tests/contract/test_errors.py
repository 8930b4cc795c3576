"""Every code a function can raise is in the catalog in every language, and each catalog code
is raised somewhere."""

import string

from shared.contract.build import build, unreached_codes
from shared.errors import LANGUAGES, catalog


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_raised_code_is_in_the_catalog_and_none_is_unused() -> None:
    contract = build()
    assert unreached_codes(contract) == {"unused": [], "unknown": []}
    for code, entry in contract["errors"].items():
        assert set(entry["messages"]) == set(LANGUAGES), code
        assert all(entry["messages"][lang].strip() for lang in LANGUAGES), code
        assert entry["placeholders"] == sorted(_fields(entry["messages"]["en"])), code
        assert 400 <= entry["httpStatus"] < 600


def test_each_language_has_the_same_placeholders() -> None:
    for code, entry in catalog().items():
        en = _fields(entry.en)
        assert _fields(entry.tr) == en == _fields(entry.es), code
