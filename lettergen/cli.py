"""The command line: parse arguments, call the library, print, exit.

Exit status (SPEC): 0 success; 1 the input is wrong (any ``LettergenError``);
2 wrong usage (argparse). This module is the one place that turns a library error
into a message on stderr. Heavy libraries are imported inside the command that
needs them, so ``lettergen list`` does not pay for python-docx and ReportLab.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .errors import LettergenError

DISCLAIMER = ("lettergen gives information, not legal advice. Check every letter and "
              "deadline against your own papers before you send it.")


def _colour(text: str, code: str, stream: Any = sys.stdout) -> str:
    if stream.isatty() and not os.environ.get("NO_COLOR"):
        return f"\033[{code}m{text}\033[0m"
    return text


def _note(text: str) -> None:
    print(_colour(text, "2", sys.stderr), file=sys.stderr)


def _packs(args: argparse.Namespace) -> Any:
    from .templates import open_packs

    return open_packs(args.pack or [])


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


# --- commands ----------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from .templates import list_templates

    templates = list_templates(_packs(args))
    rows = [[t.id, t.to, t.purpose, t.pack.name] for t in templates]
    print(_table(rows, ["ID", "TO", "PURPOSE", "PACK"]))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .templates import find_template

    info = find_template(args.id, _packs(args))
    print(_colour(f"{info.id}: {info.title}", "1"))
    print(f"  To:          {info.to}")
    print(f"  Purpose:     {info.purpose}")
    print(f"  When:        {info.when}")
    print(f"  Plan types:  {', '.join(info.plan_types) or 'any'}")
    print(f"  Needs:       {', '.join(info.needs) or 'nothing beyond the required fields'}")
    print(f"  Pack:        {info.pack.name} ({info.path})")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .build import atomic_write
    from .casefields import starter_case_text

    path = Path(args.file)
    if path.exists():
        raise LettergenError(f"{path} exists already; lettergen new never overwrites a file "
                             "(choose another name)")
    atomic_write(path, starter_case_text().encode("utf-8"), overwrite=False)
    print(path)
    _note(f"Edit {path}, then run: lettergen check {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .casefields import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .casefile import load_case
    from .check import check_case

    case = load_case(args.file)
    report = check_case(case, _packs(args))
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print(report.as_text(colour=lambda t, c: _colour(t, c)))
        _note(DISCLAIMER)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .casefile import load_case

    case = load_case(args.file)
    written = build(case, args.letter or [], args.format or [], Path(args.output),
                    _packs(args), force=args.force, contact_index=args.contact,
                    on_note=_note)
    for path in written:
        print(path)
    _note(DISCLAIMER)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    import datetime as dt

    from .build import atomic_write
    from .casefile import load_case
    from .timeline import ics_bytes, timeline_text

    cases, problems = [], []
    for name in args.files:  # read every file first: report every bad one at once
        try:
            cases.append(load_case(name))
        except LettergenError as exc:
            problems.append(str(exc))
    if problems:
        raise LettergenError("\n".join(problems))
    today = args.today or (cases[0].today if len(cases) == 1 else dt.date.today())
    print(timeline_text(cases, today))
    if args.ics:
        target = Path(args.ics)
        atomic_write(target, ics_bytes(cases, today), overwrite=args.force)
        _note(f"Calendar written to {target}: import it into Google Calendar, Outlook or "
              "Apple Calendar.")
    return 0


def _iso_date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


# --- parser ------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="lettergen",
        description="Letters that fight US medical bills and health-insurance denials, "
                    "from one TOML case file.",
        epilog=DISCLAIMER,
    )
    top.add_argument("--version", action="version", version=f"lettergen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_packs(p: argparse.ArgumentParser) -> None:
        p.add_argument("--pack", action="append", metavar="DIR",
                       help="a template pack folder, in front of the built-in pack "
                            "(repeatable)")

    p = sub.add_parser("list", help="the templates: id, recipient, purpose, pack")
    with_packs(p)
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("show", help="one template: when to use it, what it needs")
    p.add_argument("id", metavar="ID")
    with_packs(p)
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("new", help="write a commented starter case file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("check", help="validate a case; show its deadlines and letters")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    with_packs(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("timeline", help="the clocks and contact log in date order")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--ics", metavar="FILE", help="also write an iCalendar file")
    p.add_argument("--today", type=_iso_date, metavar="DATE",
                   help="count days from this date (default: the case date for one file, "
                        "the real date for several)")
    p.add_argument("--force", action="store_true", help="replace an existing --ics file")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("build", help="write the letters (DOCX and PDF by default)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-l", "--letter", action="append", metavar="ID",
                   help="a template id (repeatable); default: [case] letters")
    p.add_argument("-f", "--format", action="append", choices=("docx", "pdf", "md", "html"),
                   help="output format (repeatable); default: docx and pdf")
    p.add_argument("-o", "--output", default="letters", metavar="DIR",
                   help="output folder (default: letters)")
    p.add_argument("--contact", type=int, metavar="N",
                   help="for call-confirmation: the N-th [[contacts]] entry (default: newest)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    with_packs(p)
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("schema", help="print the JSON Schema of the case file")
    p.set_defaults(run=cmd_schema)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except LettergenError as exc:
        print(f"lettergen: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lettergen: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
