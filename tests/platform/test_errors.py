"""The error catalog: every code complete in every language, statuses mapped to HTTP."""

import re
import string

from shared.errors import HTTP_STATUS, LANGUAGES, AppError, catalog


def test_every_code_has_every_language_with_the_same_placeholders():
    for code, spec in catalog().items():
        assert re.fullmatch(r"ERR_[4-6]\d{3}", code), code
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(getattr(spec, lang)) if name}
            for lang in LANGUAGES
        ]
        assert all(getattr(spec, lang).strip() for lang in LANGUAGES), code
        assert fields[0] == fields[1] == fields[2], code
        assert spec.status in HTTP_STATUS


def test_ranges_follow_the_convention():
    for code, spec in catalog().items():
        number = int(code[4:])
        if number >= 6000:
            assert HTTP_STATUS[spec.status] >= 400, code


def test_placeholders_are_filled_and_details_carry_them():
    error = AppError("ERR_4001", required=10, available=3)
    assert error.message("en") == "Not enough credits: 10 required, 3 available."
    assert "10" in error.message("tr") and "3" in error.message("es")
    assert error.details() == {"code": "ERR_4001", "required": 10, "available": 3}
    assert error.http_status == 400
    assert AppError("ERR_4001").message("xx").startswith("Not enough credits")
