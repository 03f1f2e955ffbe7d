"""Validation of tax identifiers (AU ABN checksum, US EIN format; others free-form), and text no database stores."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from factoryos.kernel.errors import ErrorCode


class TaxIdError(ErrorCode):
    ABN_FORMAT = "abn_format"
    ABN_CHECKSUM = "abn_checksum"
    EIN_FORMAT = "ein_format"
    EIN_PREFIX = "ein_prefix"


# NUL, which PostgreSQL text cannot hold, and lone UTF-16 surrogates, which no UTF-8 column can: both would be a 500.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Text cannot contain NUL characters or unpaired surrogates."

ABN_WEIGHTS = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
EIN_RE = re.compile(r"^\d{2}-?\d{7}$")
# IRS campus prefixes that have never been assigned.
EIN_INVALID_PREFIXES = {
    "00",
    "07",
    "08",
    "09",
    "17",
    "18",
    "19",
    "28",
    "29",
    "49",
    "69",
    "70",
    "78",
    "79",
    "89",
    "96",
    "97",
}


def normalize_abn(value: str) -> str:
    return re.sub(r"\s+", "", value)


def validate_abn(value: str) -> str:
    digits = normalize_abn(value)
    if not re.fullmatch(r"\d{11}", digits):
        raise ValidationError("An ABN has 11 digits.", code=TaxIdError.ABN_FORMAT)
    numbers = [int(d) for d in digits]
    numbers[0] -= 1
    if sum(w * n for w, n in zip(ABN_WEIGHTS, numbers, strict=True)) % 89:
        raise ValidationError("This ABN fails its checksum: check for a mistyped digit.", code=TaxIdError.ABN_CHECKSUM)
    return f"{digits[:2]} {digits[2:5]} {digits[5:8]} {digits[8:]}"


def validate_ein(value: str) -> str:
    value = value.strip()
    if not EIN_RE.match(value):
        raise ValidationError("An EIN is nine digits written as 12-3456789.", code=TaxIdError.EIN_FORMAT)
    digits = value.replace("-", "")
    if digits[:2] in EIN_INVALID_PREFIXES:
        raise ValidationError(f"No EIN starts with {digits[:2]}.", code=TaxIdError.EIN_PREFIX)
    return f"{digits[:2]}-{digits[2:]}"
