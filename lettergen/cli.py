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
import re
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

from lettergen import __version__
from lettergen.errors import LettergenError
from lettergen.terminal import visible

DISCLAIMER = ("lettergen gives information, not legal advice. Check every letter and "
              "deadline against your own papers before you send it.")


# Colour is marked with these while a report is put together, and becomes terminal
# codes only after every control character of the text itself was made visible: a
# case file or a file name can never send its own codes to the terminal.
_ON, _MID, _OFF = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_ON}([0-9;]+){_MID}")


def _colour(text: str, code: str) -> str:
    return f"{_ON}{code}{_MID}{text}{_OFF}"


def _show(text: str, stream: Any) -> str:
    """``text`` safe for ``stream``: control characters visible; colour marks become
    codes on a terminal (unless NO_COLOR) and vanish elsewhere."""
    text = visible(text)
    if stream.isatty() and not os.environ.get("NO_COLOR"):
        return _MARK.sub(lambda m: f"\033[{m[1]}m", text).replace(_OFF, "\033[0m")
    return _MARK.sub("", text).replace(_OFF, "")


def _out(text: str) -> None:
    print(_show(text, sys.stdout))


def _note(text: str) -> None:
    print(_show(_colour(text, "2"), sys.stderr), file=sys.stderr)


def _packs(args: argparse.Namespace) -> Any:
    from lettergen.packs.folder import open_packs

    return open_packs(args.pack or [], user_config=True)


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


# --- commands ----------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from lettergen.letters.templates import list_templates

    templates = list_templates(_packs(args))
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 1
    rows = [[t.id, _recipient_words(t.to), t.stage or ""] for t in templates]
    used = sum(max(len(r[i]) for r in [["ID", "TO", "STAGE"], *rows]) + 2 for i in range(3))
    for row, t in zip(rows, templates, strict=True):  # the pack, and a user pack's version
        room = max(12, width - used)
        if t.pack.manifest:  # the name cut to fit, never the version
            version = t.pack.manifest.version[:20]
            row.append(f"{_cut(t.pack.manifest.name, room - len(version) - 1)} {version}")
        else:
            row.append(_cut(t.pack.name, room))
    table = _table(rows, ["ID", "TO", "STAGE", "PACK"]).splitlines()
    out = table[:2]
    for line, t in zip(table[2:], templates, strict=True):  # the purpose wrapped below
        out.append(line)
        out += textwrap.wrap(t.purpose, width, initial_indent="    ",
                             subsequent_indent="    ")
    _out("\n".join(out))
    return 0


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut with "..." when longer."""
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _recipient_words(to: str) -> str:
    """Front matter ``to`` in words: "collector-or-provider" reads "collector or
    provider", "contact" "the contact's party" (whoever was called or written to),
    "administrator" "plan administrator"."""
    words = {"contact": "the contact's party", "administrator": "plan administrator"}
    return words.get(to) or to.replace("-or-", " or ")


def cmd_show(args: argparse.Namespace) -> int:
    from lettergen.letters.templates import find_template

    info = find_template(args.id, _packs(args))
    _out("\n".join([
        _colour(f"{info.id}: {info.title}", "1"),
        f"  To:          {info.to}",
        f"  Purpose:     {info.purpose}",
        f"  When:        {info.when}",
        f"  Plan types:  {', '.join(info.plan_types) or 'any'}",
        f"  Needs:       {', '.join(info.needs) or 'nothing beyond the required fields'}",
        f"  Pack:        {info.pack.name} ({info.path})"]))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from lettergen.case.casefields import starter_case_text
    from lettergen.output.build import atomic_write

    path = Path(args.file)
    if path.exists():
        raise LettergenError(f"{path} exists already; lettergen new never overwrites a file "
                             "(choose another name)")
    atomic_write(path, starter_case_text().encode("utf-8"), overwrite=False)
    _out(str(path))
    _note(f"Edit {path}, then run: lettergen check {path}")
    return 0


def cmd_pack_new(args: argparse.Namespace) -> int:
    from lettergen.output.pack_scaffold import new_pack

    written = new_pack(args.dir, name=args.name or "", force=args.force)
    _out("\n".join(str(path) for path in written))
    _note(f"Edit {args.dir}/pack.toml, then run: lettergen pack check {args.dir}")
    return 0


def cmd_pack_check(args: argparse.Namespace) -> int:
    from lettergen.reports.pack_check import check_pack

    report = check_pack(args.dir)
    _out(report.as_text())
    if report.errors:
        raise LettergenError(f"pack check: {len(report.errors)} error(s) in {args.dir}; fix "
                             "them and check again")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from lettergen.case.casefields import json_schema

    _out(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lettergen.case.casefile import load_case
    from lettergen.reports.check import check_case

    case = load_case(args.file)
    report = check_case(case, _packs(args))
    if args.json:
        _out(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 1
        _out(report.as_text(colour=_colour, width=width, every_letter=args.all))
        _note(DISCLAIMER)
    if report.broken:
        raise LettergenError("the template pack has errors:\n" + "\n".join(
            f"  {template_id}: {why}" for template_id, why in report.broken.items()))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from lettergen.case.casefile import load_case
    from lettergen.output.build import build

    case = load_case(args.file)
    written = build(case, args.letter or [], args.format or [], Path(args.output),
                    _packs(args), force=args.force, contact_index=args.contact,
                    on_note=_note)
    _out("\n".join(str(path) for path in written))
    _note(DISCLAIMER)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from lettergen.output import batch
    cases = batch.find_cases(args.cases)
    out_dir = Path(args.output)
    batch.check_output_folders(cases, out_dir)
    _packs(args)  # a broken pack is one error now, not one per case
    if args.shard:
        total = len(cases)
        cases = batch.select_shard(cases, Path(args.root), *args.shard)
        _note(f"shard {args.shard[0]}/{args.shard[1]}: {len(cases)} of {total} case(s)")
    options = batch.BatchOptions(tuple(args.letter or ()), tuple(args.format or ()),
                                 out_dir, tuple(args.pack or ()), args.force)
    progress = batch.Progress(len(cases), sys.stderr)
    try:
        with batch.sigterm_as_interrupt():
            summary = batch.run_batch(cases, options, args.jobs or batch.default_jobs(),
                                      progress)
    finally:
        progress.close()
    if args.json:
        _out(json.dumps(batch.summary_json(summary), indent=2, ensure_ascii=False))
    elif any(r.written for r in summary.results):
        _out("\n".join(path for r in summary.results for path in r.written))
    _note(batch.summary_text(summary))
    _note(DISCLAIMER)
    return 130 if summary.interrupted else 1 if summary.failed else 0


def _shard(text: str) -> tuple[int, int]:
    from lettergen.output.batch import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{visible(text)!r}: give a whole number, 1 or more")
    return int(text)


def cmd_report(args: argparse.Namespace) -> int:
    from lettergen.case.casefile import load_case
    from lettergen.output.build import CASE_MARKER, OutputFile, case_folder_name, write_files
    from lettergen.reports.report import as_of, build_report, report_html, report_pdf

    case = load_case(args.file)
    if args.today:
        case = as_of(case, args.today)
    data = build_report(case, _packs(args))
    writers = {"pdf": lambda: report_pdf(data), "html": lambda: report_html(data).encode()}
    folder = Path(args.output) / case_folder_name(case.stem)
    files = [OutputFile(folder / f"case-summary.{fmt}", writers[fmt]())
             for fmt in dict.fromkeys(args.format or ["pdf", "html"])]
    owner = str(Path(case.source_path).resolve()) + "\n"
    files.append(OutputFile(folder / CASE_MARKER, owner.encode("utf-8", "surrogatepass")))
    _out("\n".join(str(path) for path in write_files(files, force=args.force)))
    _note(DISCLAIMER)
    return 0


def cmd_packet(args: argparse.Namespace) -> int:
    from lettergen.case.casefile import load_case
    from lettergen.output.packet import MB, Limits, packet

    case = load_case(args.file)
    output = Path(args.output) if args.output else None
    out_dir = Path("letters")
    if output is not None and (output.is_dir() or args.output.endswith(("/", os.sep))):
        output, out_dir = None, output  # a folder: the packet goes in as build puts letters
    limits = Limits(args.max_pages, round(args.max_size * MB) if args.max_size else None)
    written = packet(case, args.letter, _packs(args), output=output, out_dir=out_dir,
                     contact_index=args.contact, fax_cover=args.fax_cover, limits=limits,
                     force=args.force, on_note=_note)
    _out("\n".join(str(path) for path in written))
    _note(DISCLAIMER)
    return 0


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not 0 < value < 1_000_000:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"not a number above 0: {visible(text)!r}")
        return value
    return parse


def cmd_import(args: argparse.Namespace) -> int:
    from lettergen.case.spreadsheet import sheet_format
    from lettergen.output.build import atomic_write
    from lettergen.output.caseload import import_caseload, template_bytes

    if args.template:
        target = Path(args.template)
        atomic_write(target, template_bytes(sheet_format(target)), overwrite=args.force)
        _out(str(target))
        _note(f"Fill in one row per bill, then run: lettergen import {target} -o DIR")
        return 0
    if not args.sheet or not args.output:
        args.usage_error("name the sheet and the folder: lettergen import CASES.csv -o DIR "
                         "(or --template FILE for a blank sheet)")
    result = import_caseload(args.sheet, args.output, force=args.force)
    for path in result.written:
        _out(str(path))
    if result.unchanged:
        _note(f"{len(result.unchanged)} case file(s) already matched their row; left as "
              "they are")
    error = result.error()
    if error:
        raise error
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lettergen.output.caseload import export_caseload

    paths = export_caseload(args.sources, args.output, force=args.force)
    _out(args.output)
    _note(f"{len(paths)} case(s), one row each; lettergen import {args.output} -o DIR reads "
          "them back")
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    import datetime as dt

    from lettergen.case.casefile import load_case
    from lettergen.output.build import atomic_write
    from lettergen.reports.timeline import ics_bytes, timeline_text

    cases, problems = [], []
    for name in args.files:  # read every file first: report every bad one at once
        try:
            cases.append(load_case(name))
        except LettergenError as exc:
            problems.append(str(exc))
    if problems:
        raise LettergenError("\n".join(problems))
    today = args.today or (cases[0].today if len(cases) == 1 else dt.date.today())
    _out(timeline_text(cases, today))
    if args.ics:
        target = Path(args.ics)
        atomic_write(target, ics_bytes(cases, today), overwrite=args.force)
        _note(f"Calendar written to {target}: import it into Google Calendar, Outlook or "
              "Apple Calendar.")
    return 0


def _iso_date(text: str) -> Any:
    import datetime as dt

    from lettergen.case.casefile import EARLIEST_DATE, LATEST_DATE

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {visible(text)!r}") \
            from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"{text}: choose a date from {EARLIEST_DATE} to "
                                         f"{LATEST_DATE}")
    return day


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
    p.add_argument("--all", action="store_true",
                   help="also list the letters that do not fit, and why")
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

    p = sub.add_parser("batch", help="write the letters of many case files, in parallel")
    p.add_argument("cases", metavar="CASES", nargs="+",
                   help="case files, folders (the *.toml files directly in them) or "
                        "patterns such as 'cases/**/*.toml'")
    p.add_argument("-l", "--letter", action="append", metavar="ID",
                   help="a template id (repeatable); default: each case's [case] letters")
    p.add_argument("-f", "--format", action="append", choices=("docx", "pdf", "md", "html"),
                   help="output format (repeatable); default: docx and pdf")
    p.add_argument("-o", "--output", default="letters", metavar="DIR",
                   help="output folder (default: letters); each case in DIR/<case>/")
    p.add_argument("--jobs", type=_jobs, metavar="N",
                   help="cases built at once (default: the number of CPUs)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    p.add_argument("--json", action="store_true",
                   help="print one JSON document (every case and the totals) on stdout")
    p.add_argument("--shard", type=_shard, metavar="K/N",
                   help="build only slice K of N, chosen by a hash of each case file's "
                        "path relative to --root (to spread a caseload over machines)")
    p.add_argument("--root", default=".", metavar="DIR",
                   help="the folder --shard paths are relative to (default: the current one)")
    with_packs(p)
    p.set_defaults(run=cmd_batch)

    p = sub.add_parser("report", help="write a one-page case summary (PDF and HTML): "
                       "deadlines on a timeline, charges against benchmarks, findings, plan")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", default="letters", metavar="DIR",
                   help="output folder (default: letters); writes DIR/<case>/case-summary.*")
    p.add_argument("-f", "--format", action="append", choices=("pdf", "html"),
                   help="output format (repeatable); default: pdf and html")
    p.add_argument("--today", type=_iso_date, metavar="DATE",
                   help="count days from this date (default: the case date)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    with_packs(p)
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("packet", help="one PDF to upload or fax: the letter, an exhibit "
                       "index and its enclosures' files, numbered and bookmarked")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-l", "--letter", required=True, metavar="ID", help="the letter's template id")
    p.add_argument("-o", "--output", metavar="OUT.pdf",
                   help="the packet's file (default: letters/<case>/<ID>.packet.pdf); "
                        "a folder: DIR/<case>/<ID>.packet.pdf")
    p.add_argument("--contact", type=int, metavar="N",
                   help="for call-confirmation: the N-th [[contacts]] entry (default: newest)")
    p.add_argument("--fax-cover", action="store_true",
                   help="start with a fax cover sheet (to, from, date, pages, no diagnosis)")
    p.add_argument("--max-pages", type=_positive(int), metavar="N",
                   help="split into parts of at most N pages (OUT.part1.pdf, ...)")
    p.add_argument("--max-size", type=_positive(float), metavar="MB",
                   help="split into parts of at most MB megabytes (1 MB = 1,000,000 bytes)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    with_packs(p)
    p.set_defaults(run=cmd_packet)

    p = sub.add_parser("pack", help="template packs: start one (new) or check one (check)")
    pack_sub = p.add_subparsers(dest="pack_command", required=True, metavar="PACK_COMMAND")
    q = pack_sub.add_parser("new", help="write a new template pack to start from")
    q.add_argument("dir", metavar="DIR")
    q.add_argument("--name", metavar="NAME", help="the pack's name (default: from DIR)")
    q.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty (replacing the pack's files)")
    q.set_defaults(run=cmd_pack_new)
    q = pack_sub.add_parser("check", help="check a pack: its manifest, every template, "
                            "and its letters built from the sample cases")
    q.add_argument("dir", metavar="DIR")
    q.set_defaults(run=cmd_pack_check)

    p = sub.add_parser("import", help="a caseload spreadsheet (CSV or .xlsx, one row per "
                       "bill) to checked case files DIR/<file>.toml")
    p.add_argument("sheet", metavar="CASES", nargs="?", help="a .csv or .xlsx file")
    p.add_argument("-o", "--output", metavar="DIR", help="the folder for the case files")
    p.add_argument("--template", metavar="FILE",
                   help="instead, write a blank caseload sheet (.csv or .xlsx) with every "
                        "column, and in .xlsx what each means")
    p.add_argument("--force", action="store_true", help="replace existing files")
    p.set_defaults(run=cmd_import, usage_error=p.error)

    p = sub.add_parser("export", help="case files to one caseload spreadsheet, a row each")
    p.add_argument("sources", metavar="DIR|FILE", nargs="+",
                   help="case files, or folders of them (*.toml)")
    p.add_argument("-o", "--output", metavar="CASES", required=True,
                   help="the .csv or .xlsx file to write")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the case file")
    p.set_defaults(run=cmd_schema)
    return top


def _error(text: str) -> None:
    try:
        print(f"lettergen: {visible(text)}", file=sys.stderr, flush=True)
    except OSError:
        pass  # nowhere left to say it; the exit status still does


def _silence_stdout() -> None:
    """After standard output failed, point it at the null device, so that Python's
    own flush at exit does not fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status = int(args.run(args))
        sys.stdout.flush()
        return status
    except LettergenError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        _error("interrupted; nothing half-written was left behind")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:  # standard output on a full disk, a closed terminal
        _silence_stdout()
        from lettergen.output.build import describe_os_error

        _error(f"cannot write the output: {describe_os_error(exc)}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
