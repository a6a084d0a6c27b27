"""Money and dates as a letter prints them.

Money is ``decimal.Decimal`` from the moment the case file is read (``tomllib`` with
``parse_float=Decimal``): a float would turn $0.10 + $0.20 into $0.30000000000000004,
and a letter about money must never be off by a cent. Dates are printed by hand, not
with ``strftime``, so the output does not depend on the machine's locale; Spanish dates
come from Babel's own locale data. Money reads the same in US Spanish ("$27,000.00",
Babel's es_US), so it has one form.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

__all__ = ["CENT", "MONEY_PATTERN", "format_date", "format_money", "parse_money"]

CENT = Decimal("0.01")

# "$1,234.56", "1234.5", "$27,000": an optional "$", digits with or without correct
# thousands commas, at most two decimals. Also the JSON Schema pattern for money strings.
MONEY_PATTERN = r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$"
_MONEY = re.compile(MONEY_PATTERN)
_NUMBER_LIKE = re.compile(r"^-?\$?-?[\d,]*\.?\d*$")

_EXPECTED = 'expected an amount of money such as 1234.56 or "$1,234.56"'

_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def _shown(value: object) -> str:
    """The value as the user typed it in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    return str(value)


def parse_money(value: object) -> Decimal:
    """An amount of money from a TOML number (Decimal or int) or a string like "$1,234.56".

    Returns the amount in cents (``Decimal("27000.00")``). Raises ``ValueError`` with a
    message meant for the user for a negative amount, more than two decimals, or
    anything that is not money (a float, a bool, a word).
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ValueError(f"{_EXPECTED}, got {_shown(value)}")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") or text.startswith("$-"):
            raise ValueError(f"an amount of money cannot be negative, got {_shown(value)}")
        if not _MONEY.match(text):
            if _NUMBER_LIKE.match(text) and re.search(r"\.\d{3,}$", text):
                raise ValueError("an amount of money has at most two decimals (cents), "
                                 f"got {_shown(value)}")
            raise ValueError(f"{_EXPECTED}, got {_shown(value)}")
        amount = Decimal(text.lstrip("$").replace(",", ""))
    else:
        amount = Decimal(value)
        if not amount.is_finite():
            raise ValueError(f"{_EXPECTED}, got {_shown(value)}")
        if amount < 0:
            raise ValueError(f"an amount of money cannot be negative, got {_shown(value)}")
    if amount.adjusted() >= 15:  # a trillion dollars: a typo, and beyond Decimal's cents
        raise ValueError(f"an amount of money this large must be a typo, got {_shown(value)}")
    cents = abs(amount.quantize(CENT))  # abs: "-0" would print as "-$0.00"
    if cents != amount:
        raise ValueError("an amount of money has at most two decimals (cents), "
                         f"got {_shown(value)}")
    return cents


def format_money(amount: Decimal) -> str:
    """``Decimal("27000")`` -> ``"$27,000.00"``; a negative amount prints as ``"-$5.00"``."""
    text = f"${abs(amount):,.2f}"
    return "-" + text if amount < 0 else text


def format_days(count: int) -> str:
    """``1`` -> ``"1 day"``, ``3`` -> ``"3 days"``: how check, the timeline and the
    case summary say a number of days."""
    return f"{count} day" if count == 1 else f"{count} days"


def format_date(day: _dt.date, language: str = "en") -> str:
    """``date(2026, 4, 10)`` -> ``"April 10, 2026"``: US style, no leading zero, no
    locale. In Spanish (``language="es"``) Babel's US Spanish long date, ``"10 de abril
    de 2026"``, the form a reader in the US expects; Babel carries its own locale data,
    so the machine's locale still does not matter."""
    if language.split("-")[0] == "es":
        return _spanish_date(day)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _spanish_date(day: _dt.date) -> str:
    from babel.dates import format_date as babel_date  # imported when a letter needs it

    return babel_date(day, "long", locale="es_US")
