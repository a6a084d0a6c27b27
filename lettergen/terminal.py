"""Text that is safe to show on a terminal.

A case file is typed, pasted or sent by someone else, and what it holds ends up on a
terminal: in ``check``'s report and in error messages. An ESC (U+001B) starts a control
sequence that can recolour the screen, rewrite earlier lines, set the window title or
(OSC 52) write to the clipboard; BEL rings, CR overwrites the line just printed. The
loader refuses these characters in values, but keys, table names, file names and
rejected values are still quoted back in messages. ``visible`` shows every such
character as an escape the reader can see (``\\x1b``), and ``describe`` names one
character for a message ("U+001B (ESC)").
"""

from __future__ import annotations

import re

__all__ = ["NONCHARACTERS", "describe", "visible"]

_C0 = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
       "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
       "SUB", "ESC", "FS", "GS", "RS", "US")
_C1 = ("PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD",
       "PLU", "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS",
       "SGCI", "SCI", "CSI", "ST", "OSC", "PM", "APC")

# The 66 noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))

# what ``visible`` escapes: C0 controls but tab, DEL, C1 controls, lone surrogates and
# noncharacters (a newline is in the class too, and ``_escape`` keeps it)
# and the bidirectional embedding, override and isolate controls, which can make a
# terminal show text in another order than it has ("Trojan Source")
_SHOWN_ESCAPED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                            "\ud800-\udfff" + NONCHARACTERS + "]")


def describe(ch: str) -> str:
    """One character as a message names it: "U+001B (ESC)", "U+FFFE"."""
    code = ord(ch)
    name = (_C0[code] if code < 0x20 else "DEL" if code == 0x7F
            else _C1[code - 0x80] if 0x80 <= code <= 0x9F else "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _escape(match: re.Match[str]) -> str:
    ch = match[0]
    if ch == "\n":
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (ESC as ``\\x1b``, a
    carriage return as ``\\x0d``), lone surrogates and noncharacters as ``\\udc80`` or
    ``\\ufffe``; newlines and tabs are kept. Safe to print, and to encode as UTF-8."""
    return _SHOWN_ESCAPED.sub(_escape, text)
