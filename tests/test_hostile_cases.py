"""Hostile and absurd case files: every one gets a message naming the field and the fix,
exit status 1, never a traceback, a hang or a raw control character on the terminal."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import EXAMPLES, MINIMAL_CASE, ROOT, case_file, docx_text
from lettergen.case.casefile import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_FILE_BYTES,
    MAX_TEXT,
    _text_problem,
    load_case,
)
from lettergen.cli import main
from lettergen.errors import CaseFileError
from lettergen.terminal import describe, visible

# every C0 and C1 control character but newline: what must never reach a terminal raw
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_all(capsys, path: Path, tmp_path: Path) -> list[tuple[str, int, str]]:
    """check, timeline and build of one case file: (command, exit status, stderr)."""
    results = []
    for argv in (["check", str(path)], ["timeline", str(path)],
                 ["build", str(path), "-l", "internal-appeal", "-o", str(tmp_path / "out")]):
        status, _, err = run(capsys, *argv)
        results.append((argv[0], status, err))
    return results


def problem_of(path: Path) -> str:
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    return str(caught.value)


def write(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


MINIMAL = MINIMAL_CASE


# ---- 1. implausible dates ----------------------------------------------------------------

@pytest.mark.parametrize(("changes", "where"), [
    ({"case.date": dt.date(9999, 12, 31)}, "[case] date"),
    ({"denial.date": dt.date(9999, 12, 20)}, "[denial] date"),
    ({"claim.service_date": dt.date(9999, 12, 20), "claim.service_end_date": None},
     "[claim] service_date"),
    ({"collector.notice_date": dt.date(9999, 12, 1)}, "[collector] notice_date"),
    ({"balance.first_statement_date": dt.date(9999, 1, 1)}, "[balance] first_statement_date"),
    ({"contacts": [{"date": dt.date(9999, 12, 31), "party": "provider", "kind": "call",
                    "summary": "Hold", "until": dt.date(9999, 12, 31)}]},
     "[[contacts]] #1 date"),
    ({"case.date": dt.date(1, 1, 1)}, "[case] date"),
    ({"patient.date_of_birth": dt.date(1899, 12, 31)}, "[patient] date_of_birth"),
])
def test_implausible_dates_are_refused_naming_the_field(tmp_path, capsys, changes, where):
    path = case_file(tmp_path, "er-out-of-network", changes)
    for command, status, err in run_all(capsys, path, tmp_path):
        assert status == 1, command
        assert where in err, (command, err)
        assert "1900-01-01 to 2099-12-31" in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_the_bounds_themselves_are_accepted(tmp_path):
    assert (EARLIEST_DATE, LATEST_DATE) == (dt.date(1900, 1, 1), dt.date(2099, 12, 31))
    path = case_file(tmp_path, "er-out-of-network", {"patient.date_of_birth": EARLIEST_DATE,
                                                     "contacts": [{
                                                         "date": dt.date(2026, 4, 21),
                                                         "party": "provider",
                                                         "until": LATEST_DATE}]})
    case = load_case(path)
    assert case.patient.date_of_birth == EARLIEST_DATE
    assert case.contacts[0].until == LATEST_DATE


def test_a_whole_number_that_would_overflow_a_date_is_refused(tmp_path):
    path = case_file(tmp_path, "collections-final-offer", {"offer.respond_within_days": 10**9})
    assert "[offer] respond_within_days: must be 365 or less" in problem_of(path)


# ---- 2. files that are not files -----------------------------------------------------------

def _cli(*argv: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lettergen", *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_at_once():
    result = _cli("check", "/dev/zero")
    assert result.returncode == 1
    assert "/dev/zero" in result.stderr and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "case.toml"
    os.mkfifo(fifo)
    result = _cli("check", str(fifo))
    assert result.returncode == 1 and "not a regular file" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_base_that_is_a_fifo_or_dev_zero_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    for base in (tmp_path / "pipe.toml", Path("/dev/zero")):
        case = write(tmp_path, f'[case]\nextends = "{base}"\n' + MINIMAL)
        result = _cli("check", str(case))
        assert result.returncode == 1, base
        assert str(base) in result.stderr and "not a regular file" in result.stderr


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(MINIMAL.encode() + b"#" * MAX_FILE_BYTES)
    message = problem_of(big)
    assert "the limit is 2,097,152 bytes" in message
    case = write(tmp_path, '[case]\nextends = "big.toml"\n' + MINIMAL)
    assert "big.toml" in problem_of(case) and "limit" in problem_of(case)


def test_a_folder_named_as_a_base_is_refused(tmp_path):
    (tmp_path / "base.toml").mkdir()
    case = write(tmp_path, '[case]\nextends = "base.toml"\n' + MINIMAL)
    assert "it is a folder, not a file" in problem_of(case)


# ---- 3. values too long to lay out -----------------------------------------------------------

def _contact(summary: str) -> dict[str, object]:
    return {"contacts": [{"date": dt.date(2026, 4, 21), "party": "provider", "kind": "call",
                          "representative": "Dana", "summary": summary}]}


def test_a_text_over_the_limit_is_refused_with_its_length(tmp_path, capsys):
    path = case_file(tmp_path, "er-out-of-network", _contact("word " * 40_000))
    status, _, err = run(capsys, "build", str(path), "-l", "call-confirmation", "-f", "pdf",
                         "-o", str(tmp_path / "out"))
    assert status == 1
    assert "[[contacts]] #1 summary: is 200,000 characters long; the limit is 10,000" in err
    assert not (tmp_path / "out").exists()


def test_a_text_at_the_limit_builds(tmp_path, capsys):
    summary = ("The representative agreed to hold the account. " * 300)[:MAX_TEXT]
    path = case_file(tmp_path, "er-out-of-network", _contact(summary))
    status, _, err = run(capsys, "build", str(path), "-l", "call-confirmation", "-f", "docx",
                         "-o", str(tmp_path / "out"))
    assert status == 0, err


def test_list_items_and_whole_lists_are_capped(tmp_path):
    one = case_file(tmp_path, "er-out-of-network", {"denial.codes": ["CO-242", "x" * 10_001]},
                    name="one")
    assert ("[denial] codes: item 2 of the list is 10,001 characters long; the limit is "
            "10,000") in problem_of(one)
    many = case_file(tmp_path, "er-out-of-network", {"patient.address": ["x" * 9_000] * 3},
                     name="many")
    assert ("[patient] address: the items of the list are 27,000 characters long together; "
            "the limit is 10,000") in problem_of(many)


def test_long_values_are_not_echoed_whole(tmp_path):
    path = write(tmp_path, MINIMAL + '[case]\nstate = "' + "I" * 100_000 + '"\n'
                 '[balance]\namount_due = "' + "9" * 100_000 + '"\n')
    message = problem_of(path)
    assert len(message) < 1_000, message[:300]
    assert "[case] state" in message and "[balance] amount_due" in message


# ---- 4. values that gave tracebacks ----------------------------------------------------------

def test_a_name_over_255_characters_builds_and_keeps_every_word(tmp_path, capsys):
    name = " ".join(["Maria-Josefina de la Concepcion"] * 12)  # 383 characters
    path = case_file(tmp_path, "er-out-of-network", {"patient.name": name})
    status, _, err = run(capsys, "build", str(path), "-l", "internal-appeal",
                         "-o", str(tmp_path / "out"))
    assert status == 0, err
    import docx

    data = (tmp_path / "out" / "er-out-of-network" / "internal-appeal.docx").read_bytes()
    props = docx.Document(io.BytesIO(data)).core_properties
    assert len(props.author) <= 255 and props.author.endswith("...")
    assert name.startswith(props.author[:-3])
    assert name in docx_text(data)  # the letter itself is not shortened


@pytest.mark.parametrize("ch", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"])
def test_noncharacters_are_refused_naming_the_character(tmp_path, capsys, ch):
    path = case_file(tmp_path, "er-out-of-network", {"provider.name": f"General{ch} Hospital"})
    status, _, err = run(capsys, "build", str(path), "-l", "internal-appeal",
                         "-o", str(tmp_path / "out"))
    assert status == 1
    assert f"[provider] name: contains U+{ord(ch):04X}, not a character" in err
    assert ch not in err


def test_lone_surrogates_are_refused():
    assert _text_problem("A\udc80B").startswith(
        "contains U+DC80, half of a character (a lone surrogate), at character 2")


def test_surrogates_in_the_file_are_a_message_not_a_traceback(tmp_path):
    escaped = write(tmp_path, MINIMAL.replace("Jordan", "Jor\\uD800dan"), "escaped.toml")
    assert "not valid TOML" in problem_of(escaped)
    raw = tmp_path / "raw.toml"
    raw.write_bytes(MINIMAL.replace("Jordan", "Jor@dan").encode().replace(b"@", b"\xed\xa0\x80"))
    assert "not UTF-8" in problem_of(raw)


@pytest.mark.parametrize("value", ["[" * 3000 + "]" * 3000, "{a = " * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_a_message(tmp_path, capsys, value):
    path = write(tmp_path, MINIMAL + f"[hardship]\nsummary = {value}\n")
    status, _, err = run(capsys, "check", str(path))
    assert status == 1
    assert "nested too deeply" in err and str(path) in err


def test_moderate_nesting_in_a_value_is_named(tmp_path):
    path = write(tmp_path, MINIMAL + "[hardship]\nsummary = " + "[" * 100 + "]" * 100 + "\n")
    assert "[hardship] summary: expected text in quotes" in problem_of(path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_loop_is_named(tmp_path, capsys):
    os.symlink(tmp_path / "loop-b.toml", tmp_path / "loop-a.toml")
    os.symlink(tmp_path / "loop-a.toml", tmp_path / "loop-b.toml")
    case = write(tmp_path, '[case]\nextends = "loop-a.toml"\n' + MINIMAL)
    for argv in (["check", str(case)], ["check", str(tmp_path / "loop-a.toml")]):
        status, _, err = run(capsys, *argv)
        assert status == 1
        assert "loop-a.toml" in err
        assert "Traceback" not in err
    message = problem_of(case)
    assert "[case] extends" in message and "loop" in message


# ---- 5. terminal control characters ----------------------------------------------------------

@pytest.mark.parametrize(("ch", "shown"), [
    ("\x1b", "U+001B (ESC)"), ("\x07", "U+0007 (BEL)"), ("\x9d", "U+009D (OSC)"),
    ("\x9b", "U+009B (CSI)"), ("\x7f", "U+007F (DEL)"), ("\x00", "U+0000 (NUL)"),
    ("\x85", "U+0085 (NEL)"),
])
def test_control_characters_in_values_are_refused_visibly(tmp_path, capsys, ch, shown):
    name = f"Evil{ch}]0;pwned{ch} Hospital"
    path = case_file(tmp_path, "er-out-of-network", {"provider.name": name})
    for command, status, err in run_all(capsys, path, tmp_path):
        assert status == 1, command
        assert f"[provider] name: contains {shown}, a control character, at character 5" in err
        assert not RAW_CONTROL.search(err), repr(err)


def test_control_characters_in_list_items_and_nested_tables(tmp_path):
    path = case_file(tmp_path, "collections-settled", {
        "denial.codes": ["CO-242", "CO\x1b[2J"],
        "offer.agreed": {"date": dt.date(2026, 7, 15), "amount": "1500.00",
                         "representative": "Dana\x07"}})
    message = problem_of(path)
    assert "[denial] codes: item 2 of the list contains U+001B (ESC)" in message
    assert "[offer] agreed representative: contains U+0007 (BEL)" in message


def test_tab_newline_and_carriage_return_are_text(tmp_path):
    path = write(tmp_path, MINIMAL + '[hardship]\nsummary = "one\\ttwo\\r\\nthree\\nfour"\n')
    assert load_case(path).hardship.summary == "one\ttwo\r\nthree\nfour"


def test_messages_never_echo_a_control_character(tmp_path, capsys):
    hostile = "\x1b]52;c;ZXZpbA==\x07\x9b2J\x1b[31m"
    toml = hostile.encode("unicode_escape").decode().replace("\\x", "\\u00")
    path = write(tmp_path, MINIMAL.replace("[provider]", f'"key{toml}" = 1\n[provider]')
                 + f'["table{toml}"]\nx = 1\n'
                 + f'[case]\nstate = "IL{toml}"\nlanguage = "e{toml}"\ndelivery = "{toml}"\n'
                 + f'"{toml}" = 2\n'
                 + f'[balance]\namount_due = "{toml}"\n'
                 + f'[claim]\nservice_date = "{toml}"\n'
                 + f'[insurer]\nname = ["{toml}"]\n')
    status, out, err = run(capsys, "check", str(path))
    assert status == 1
    assert not RAW_CONTROL.search(err), repr(err)
    assert err.count("\\x1b") >= 3, err
    for where in ("[patient] key\\x1b]52;c;", "[table\\x1b]52;", "[case] state",
                  "[case] language", "[case] delivery", "[balance] amount_due",
                  "[claim] service_date", "[insurer] name"):
        assert where in err, (where, err)


def test_a_file_name_with_control_characters_is_shown_visibly(tmp_path, capsys):
    path = tmp_path / "bad\x1b[2Jname.toml"
    status, _, err = run(capsys, "check", str(path))
    assert status == 1 and "bad\\x1b[2Jname.toml" in err and "\x1b" not in err
    base = write(tmp_path, '[case]\nextends = "gone\\u001b[2J.toml"\n' + MINIMAL)
    message = problem_of(base)
    assert "contains U+001B (ESC)" in message and "\x1b" not in message


def test_visible_shows_control_characters_as_escapes():
    assert visible("a\x1b[31mb\x07c\x9bd\x7f") == "a\\x1b[31mb\\x07c\\x9bd\\x7f"
    assert visible("line one\n\tline two") == "line one\n\tline two"
    assert visible("over\rwrite") == "over\\x0dwrite"
    assert visible("\ud800\ufffe\U0001ffff") == "\\ud800\\ufffe\\U0001ffff"
    assert visible("José, 中文, emoji 🙂, €") == "José, 中文, emoji 🙂, €"
    assert visible("\x00\x1f\x80\x9f") == "\\x00\\x1f\\x80\\x9f"
    visible("\udc80").encode("utf-8")  # safe to print on a UTF-8 terminal
    assert describe("\x1b") == "U+001B (ESC)" and describe("\u0085") == "U+0085 (NEL)"
    assert describe("\ufffe") == "U+FFFE" and describe("\U0010fffe") == "U+10FFFE"


# ---- 6. the calendar file ----------------------------------------------------------------------

def _identifying(path: Path) -> list[str]:
    """What the calendar must not hold: the file's name, the names, numbers, codes,
    diagnoses and amounts of the case."""
    case = load_case(path)
    words = [path.name, path.stem]
    for record in (case.patient, case.provider, case.insurer, case.collector, case.clinician,
                   case.claim, case.denial):
        for key in ("name", "number", "member_id", "account_number", "reason_text",
                    "facility", "plan_name"):
            value = getattr(record, key, None)
            if isinstance(value, str) and value:
                words.append(value)
    words += [w for w in case.patient.name.replace(".", " ").split() if len(w) > 1]
    words += list(case.denial.codes or [])
    words += [c.code for c in case.charges if c.code]
    words += [c.description for c in case.charges if c.description]
    return [w for w in words if w]


@pytest.mark.parametrize("example", ["er-out-of-network", "mri-medical-necessity",
                                     "collections-uninsured"])
def test_the_calendar_carries_initials_only(tmp_path, example):
    path = tmp_path / "jordan-rivera-appendectomy.toml"
    path.write_text((EXAMPLES / f"{example}.toml").read_text("utf-8").replace(
        'extends = "base/', f'extends = "{EXAMPLES}/base/'), "utf-8")
    target = tmp_path / "case.ics"
    assert main(["timeline", str(path), "--ics", str(target)]) == 0
    calendar = Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    texts = []
    for component in calendar.walk():
        for key, value in component.items():
            if key not in ("DTSTART", "DTEND", "DTSTAMP", "TRIGGER"):
                texts.append(str(value))
    blob = "\n".join(texts).lower()
    for word in _identifying(path) + ["appendectomy", "jordan", "rivera"]:
        assert word.lower() not in blob, word
    assert "$" not in blob
    for event in events:
        assert re.match(r"^[A-Z](\.[A-Z])*\.: ", str(event["summary"])), event["summary"]


# ---- found by the fuzz test (tests/test_fuzz.py) ---------------------------------------------

def test_a_flood_of_problems_is_counted_not_listed(tmp_path):
    path = write(tmp_path, MINIMAL + "[claim]\n" + "".join(f"nmbr{i} = 1\n" for i in range(5000))
                 + "".join(f"[t{i}]\n" for i in range(5000)))
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 101  # 5,000 keys, 5,000 tables, no service_date
    assert problems[0] == "[t0]: unknown table"
    assert problems[-1] == ("and 9,901 more problem(s) not listed; fix these and check the "
                            "file again")


def test_an_enclosure_needs_a_title(tmp_path):
    # an [[enclosures]] entry without a title reached the letter's list of enclosures
    # as "the template printed an empty case value"
    path = case_file(tmp_path, "er-out-of-network", {"enclosures": [
        {"title": "EOB"}, {"file": "documents/eob.pdf"}]})
    assert "[[enclosures]] #2 title: required" in problem_of(path)


def test_an_earlier_offer_needs_its_date_and_amount(tmp_path):
    # previous = [{}] reached final-offer as "the template printed an empty case value"
    path = case_file(tmp_path, "collections-final-offer", {"offer.previous": [{}]})
    message = problem_of(path)
    assert "[offer] previous #1 date: required" in message
    assert "[offer] previous #1 amount: required" in message


def test_bidi_controls_are_shown_visibly_on_the_terminal():
    from lettergen.terminal import visible

    assert visible("invoice\u202etxt.exe") == "invoice\\u202etxt.exe"
    assert visible("a\u2066b\u2069") == "a\\u2066b\\u2069"
    assert visible("\u05e9\u05dc\u05d5\u05dd \u200f") == "\u05e9\u05dc\u05d5\u05dd \u200f"
