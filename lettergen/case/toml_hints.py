"""What a TOML mistake means in a patient's words, with the line shown and the fix.

``tomllib`` reports "Invalid value (at line 12, column 8)"; a person who typed
``billed = $3,850.00`` or copied curly quotes from a word processor cannot act on that.
``explain`` looks at the line the parser stopped on and names the usual mistakes:
amounts and dates written as on paper, yes/no for true/false, text without quotes,
curly quotes, a key given twice (most often under a table line still commented out).
The parser's own words stay at the end of the message for anyone who knows TOML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lettergen.terminal import visible

__all__ = ["explain"]

_CURLY = "\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb"
_KEY_VALUE = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=\s*(.*)$")
_TABLE = re.compile(r"^\s*(#\s*)?\[\[?\s*([A-Za-z0-9_\-]+)\s*\]\]?")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_SHORT_DATE = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")
_AMOUNT = re.compile(r"^-?\$?\s*[\d,]+(\.\d+)?$")
_YES_NO = {"yes": "true", "no": "false", "y": "true", "n": "false", "true": "true",
           "false": "false", "on": "true", "off": "false"}


def explain(text: str, line_no: int | None, column: int | None, message: str) -> str:
    """The message for a parser error at ``line_no`` and ``column`` (1-based) of
    ``text``: what is wrong and how to write it, the parser's words, then the line with
    a caret under the place the reader stopped."""
    lines = text.splitlines()
    line = lines[line_no - 1] if line_no and 0 < line_no <= len(lines) else ""
    hint = _duplicate_hint(lines, line_no, message) or _value_hint(line)
    out = f"{hint} (the TOML reader says: {visible(message)})" if hint else visible(message)
    shown = visible(line.replace("\t", " ").rstrip())
    if shown.strip() and len(shown) <= 120:
        out += f"\n      {shown}"
        if column and column <= len(shown) + 1 and visible(line) == line:
            out += "\n      " + " " * (column - 1) + "^"
    return out


def _value_hint(line: str) -> str:
    """The fix for a ``key = value`` line whose value TOML cannot read."""
    if any(ch in line for ch in _CURLY):
        fixed = re.sub(f"[{_CURLY}]", '"', line.strip())
        return ("the line has curly quotes (“ ” or ‘ ’), as a word processor types them; "
                f'use straight quotes ("): {visible(fixed)}')
    bare = line.strip()
    if bare.startswith("[") and not bare.endswith("]") and "=" not in bare:
        name = bare.strip("[] ")
        return f"a table line needs its closing bracket: [{name}]"
    match = _KEY_VALUE.match(line)
    if not match:
        return ""
    key, value = match[1].strip("\"'"), match[2].split(" #")[0].strip()
    if not value:
        return f'{key} has no value after the "="; write one, or delete the line'
    date = _SLASH_DATE.match(value)
    if date:
        month, day, year = date.groups()
        return (f"dates are written year-month-day without quotes: "
                f"{key} = {year}-{int(month):02d}-{int(day):02d}")
    date = _SHORT_DATE.match(value)
    if date:
        year, month, day = date.groups()
        return (f"dates are written year-month-day with two digits for the month and the "
                f"day, without quotes: {key} = {year}-{int(month):02d}-{int(day):02d}")
    if _AMOUNT.match(value) and ("$" in value or "," in value):
        plain = value.replace("$", "").replace(",", "").replace(" ", "")
        return (f'write an amount in quotes, {key} = "{value}", or as a plain number, '
                f"{key} = {plain}")
    if value.lower() in _YES_NO:
        return (f"write true or false in small letters and without quotes: "
                f"{key} = {_YES_NO[value.lower()]}")
    if value[0] not in "\"'[{0123456789+-" and not value.startswith(("true", "false")):
        return f'put text in straight quotes: {key} = "{value}"'
    if value[0] in "\"'" and value.count(value[0]) == 1:
        return f"the quotes are not closed: end the text with {value[0]} on the same line"
    return ""


def _duplicate_hint(lines: list[str], line_no: int | None, message: str) -> str:
    """For "Cannot overwrite a value" or "Cannot declare ... twice": which key or table
    is given twice and, when a commented-out table line sits between the two, that the
    ``#`` in front of it was probably meant to go."""
    if not line_no or not ("overwrite" in message or "twice" in message):
        return ""
    line = lines[line_no - 1] if line_no <= len(lines) else ""
    table = _TABLE.match(line)
    if table and not table[1]:
        return (f"[{table[2]}] appears twice in the file; keep one [{table[2]}] line and put "
                "all its keys below it")
    match = _KEY_VALUE.match(line)
    if not match:
        return ""
    key = match[1].strip("\"'")
    current, commented = "", ""
    for earlier in reversed(lines[: line_no - 1]):
        header = _TABLE.match(earlier)
        if header is None:
            continue
        if header[1] and not commented:
            commented = header[2]
        if not header[1]:
            current = header[2]
            break
    where = f" in [{current}]" if current else ""
    hint = f"{key} appears twice{where}"
    if commented:
        return (hint + f": did you mean to remove the # in front of [{commented}]? Until it "
                f"is removed, the lines below it still belong to [{current or 'the table above'}]")
    return hint + "; keep one of the two lines"


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """The closest choice, ignoring case ("cpt" -> "CPT", "Amount_Due" -> "amount_due"):
    the "did you mean" of every message about a name the user or a pack mistyped."""
    import difflib  # only on the error path: it costs import time

    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None
