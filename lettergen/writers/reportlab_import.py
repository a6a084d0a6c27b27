"""ReportLab's Platypus, imported without compiling a pattern the letters never use.

``reportlab.platypus.paragraph`` compiles, when it is imported, a case-insensitive
URL pattern over all of Unicode (``uri_pat``): about 45 ms, a tenth of a cold
``lettergen build``, for a pattern only its ``uriWasteReduce`` option reads (line
breaking inside long URLs; our styles never set it). ``import_platypus`` imports the
module with that one pattern compiled on first use instead; every other pattern, and
everything ReportLab does, is unchanged.
"""

from __future__ import annotations

import re
import sys
from typing import Any

# How ReportLab 5's uri_pat begins; no other pattern it compiles does.
_URI_PATTERN_START = r"(^(?:[a-z0-9\.\-\+]*)://)"


class _PatternOnFirstUse:
    """Stands for a compiled pattern; compiles it when first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def import_platypus() -> None:
    """Import ``reportlab.platypus`` (once), deferring ``uri_pat``'s compilation."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    real_compile = re.compile

    def compile_later(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
            return _PatternOnFirstUse(pattern, flags)
        return real_compile(pattern, flags)

    re.compile = compile_later  # type: ignore[assignment]
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real_compile
