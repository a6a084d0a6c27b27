"""Errors a user can cause, and how they are told.

Every error a user can cause is a ``LettergenError``. The CLI catches this one base
class in one place and prints ``str(error)`` on stderr with exit status 1; nothing
inside the library prints. Anything else that escapes is a bug and may show a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class LettergenError(Exception):
    """Base of every error caused by the user's input (exit status 1)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case file: where it is and what is wrong."""

    where: str  # "[claim] billed", "[[charges]] #2 code", or "line 4, column 7"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class CaseFileError(LettergenError):
    """Raised when a case file cannot be read or is invalid; lists every problem."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = list(problems)
        lines = [f"{path}: {len(self.problems)} problem(s) in the case file"
                 if len(self.problems) > 1 else f"{path}: the case file has a problem"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class TemplateNotFoundError(LettergenError):
    """Raised when a template id is unknown in every pack; suggests the closest id."""


class TemplateError(LettergenError):
    """Raised when a template is broken or fails to render: names pack, file and line."""


class LetterDoesNotFitError(LettergenError):
    """Raised when a letter cannot be built for this case: missing fields, wrong plan
    type or stage. Carries every reason, and the next step when there is one."""

    def __init__(self, template_id: str, reasons: list[str]):
        self.template_id = template_id
        self.reasons = list(reasons)
        body = "\n".join(f"    {r}" for r in self.reasons)
        super().__init__(f"  {template_id}:\n{body}")


class OutputExistsError(LettergenError):
    """Raised when an output file exists and --force was not given."""


class PackError(LettergenError):
    """Raised when a template pack folder is missing or malformed."""


class OutputError(LettergenError):
    """Raised when a letter cannot be written (a folder in the way, no space, no
    permission): names the path and the cause; nothing this run wrote is left."""


class UnprintableTextError(LettergenError):
    """Raised when a writer cannot draw a character the case holds (the PDF has no
    font for it): names the character and points to the formats that can show it."""
