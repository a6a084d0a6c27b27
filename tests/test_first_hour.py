"""The mistakes a new user makes in a first case file, and what the tool tells them.

Each case file here is written as a non-technical person writes one: amounts and dates
as on paper, yes for true, curly quotes from a word processor, a key uncommented under
a table line still commented out, placeholders left in, a plan without its type. The
tests read the message the person sees (exit status 1, the field and the fix named),
never a parser's bare words and never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL_CASE
from lettergen.case.casefile import load_case
from lettergen.errors import CaseFileError

ROOT = Path(__file__).resolve().parent.parent


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "case.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    return [str(p) for p in info.value.problems]


def _check(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "case.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "lettergen", "check", str(path)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)


@pytest.mark.parametrize(("line", "fix"), [
    ("billed = $3,850.00", 'write an amount in quotes, billed = "$3,850.00", or as a plain '
                           "number, billed = 3850.00"),
    ("billed = 3,850.00", 'billed = "3,850.00", or as a plain number, billed = 3850.00'),
    ("service_date = 08/22/2026", "dates are written year-month-day without quotes: "
                                  "service_date = 2026-08-22"),
    ("service_date = 2026-8-2", "service_date = 2026-08-02"),
    ("emergency = yes", "write true or false in small letters and without quotes: "
                        "emergency = true"),
    ("emergency = No", "emergency = false"),
    ("number = \u201cCLM-1\u201d", 'the line has curly quotes (“ ” or ‘ ’), as a word processor '
                                   'types them; use straight quotes (")'),
    ("number = CLM 77", 'put text in straight quotes: number = "CLM 77"'),
    ('number = "CLM-1', 'the quotes are not closed: end the text with " on the same line'),
])
def test_a_value_written_as_on_paper_gets_the_fix_in_the_users_terms(
        tmp_path: Path, line: str, fix: str) -> None:
    text = MINIMAL_CASE + f"\n[claim]\n{line}\n"
    found = _problems(tmp_path, text)
    assert len(found) == 1
    first, shown, *caret = found[0].splitlines()
    line_no = text.splitlines().index(line) + 1
    assert first.startswith(f"line {line_no}, column ") and fix in first, first
    assert "(the TOML reader says:" in first  # the parser's words stay, last
    assert shown.strip() == line.strip()  # the line as typed, and where it went wrong
    assert caret and caret[0].strip() == "^"


def test_a_key_under_a_commented_table_line_asks_about_the_hash(tmp_path: Path) -> None:
    text = MINIMAL_CASE + '\n# [insurer]\nname = "Acme Health"\n'
    found = _problems(tmp_path, text)
    assert found[0].splitlines()[0] == (
        "line 11, column 21: not valid TOML: name appears twice in [provider]: did you mean "
        "to remove the # in front of [insurer]? Until it is removed, the lines below it "
        "still belong to [provider] (the TOML reader says: Cannot overwrite a value)")


def test_a_table_written_twice_is_named(tmp_path: Path) -> None:
    found = _problems(tmp_path, MINIMAL_CASE + '\n[patient]\nphone = "555"\n')
    assert found[0].startswith("line 10, column 9: not valid TOML: [patient] appears twice in "
                               "the file; keep one [patient] line")


def test_an_insurer_without_its_plan_type_is_an_error_listing_the_choices(
        tmp_path: Path) -> None:
    found = _problems(tmp_path, MINIMAL_CASE + '\n[insurer]\nname = "Acme Health"\n')
    assert len(found) == 1
    assert found[0].startswith("[insurer] plan_type: required when [insurer] is given")
    for plain in ('"employer" (private employer or union group plan (ERISA))',
                  '"medicare-advantage" (Medicare Advantage (Part C) plan)',
                  '"uninsured" (no insurance)'):
        assert plain in found[0]


def test_no_insurer_table_still_means_no_insurance_without_a_complaint(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(MINIMAL_CASE, encoding="utf-8")
    assert not load_case(path).insurer


def test_fill_in_left_in_any_value_names_the_field(tmp_path: Path) -> None:
    found = _problems(tmp_path, MINIMAL_CASE.replace('"Jordan A. Rivera"', '"FILL IN: name"')
                      + '\n[claim]\nservice_date = 2026-03-02\nnumber = "FILL IN"\n')
    assert [p.split(":")[0] for p in found] == ["[patient] name", "[claim] number"]
    assert all("the starter file's placeholder; write the real value" in p for p in found)


def test_check_refuses_an_unknown_letter_id_with_the_closest(tmp_path: Path) -> None:
    result = _check(tmp_path, '[case]\nletters = ["itemised-bill-request"]\n' + MINIMAL_CASE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("[case] letters: unknown template id 'itemised-bill-request'; did you mean "
            "'itemized-bill-request'?") in result.stderr


def test_a_case_date_before_the_denial_it_answers_is_an_error(tmp_path: Path) -> None:
    found = _problems(tmp_path, "[case]\ndate = 2026-04-05\n" + MINIMAL_CASE
                      + "[claim]\nservice_date = 2026-03-02\n[denial]\ndate = 2026-04-10\n")
    assert found == ["[case] date: 2026-04-05 is before [denial] date 2026-04-10: the letters "
                     "would be dated before the denial they answer. Correct the date that is "
                     "wrong, or remove [case] date to date the letters today"]


def test_a_denial_before_the_care_it_answers_is_no_error(tmp_path: Path) -> None:
    """A prior-authorization or urgent denial comes before the care: the case date may
    precede the service date."""
    path = tmp_path / "case.toml"
    path.write_text("[case]\ndate = 2026-04-05\n" + MINIMAL_CASE + "[claim]\nservice_date = "
                    "2026-05-02\n[denial]\ndate = 2026-04-01\n", "utf-8")
    assert load_case(path).claim.service_date.isoformat() == "2026-05-02"


def test_check_puts_what_to_do_next_first_in_short_lines(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "er-out-of-network.toml")
    result = subprocess.run([sys.executable, "-m", "lettergen", "check", example],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    out = result.stdout
    assert result.returncode == 0
    order = [out.index(h) for h in ("What to do next", "Deadlines", "Findings")]
    assert order == sorted(order)
    assert "Send billing-hold-request now." in out  # the plan's first letter, with its timing
    assert "internal-appeal, by September 30, 2026 (mail-by date)" in out
    assert "!! costs money or a right if left alone; ! worth raising" in out
    assert max(len(line) for line in out.splitlines()) <= 100  # was 563 characters
    assert "Letters that do not fit" not in out  # behind --all
    import json

    report = json.loads(subprocess.run(
        [sys.executable, "-m", "lettergen", "check", example, "--json"], capture_output=True,
        text=True, encoding="utf-8", cwd=ROOT).stdout)
    refused_count = len(report["letters"]["refused"])
    assert f"{refused_count} other letters do not fit this case" in out
    assert "--all says why" in out
    every = subprocess.run([sys.executable, "-m", "lettergen", "check", example, "--all"],
                           capture_output=True, text=True, encoding="utf-8", cwd=ROOT).stdout
    refused = every.split("Letters that do not fit, and why")[1]
    assert "  debt-validation: the case file lacks [collector] name" in refused


def _plan(path: Path) -> list[str]:
    from lettergen.analysis.plan import case_plan

    return [step.letter for step in case_plan(load_case(path))]


def test_the_plan_has_the_billing_correction_for_a_providers_missed_prior_authorization(
        tmp_path: Path) -> None:
    from conftest import case_file

    path = case_file(tmp_path, "er-out-of-network", {
        "denial.reason": "prior-authorization", "denial.reason_text": "No prior authorization",
        "provider.in_network": True})
    assert "billing-correction-request" in _plan(path)
    assert "billing-correction-request" not in _plan(case_file(tmp_path, "er-out-of-network",
                                                               name="plain"))


def test_the_plan_starts_with_the_authorization_when_the_sender_has_none(
        tmp_path: Path) -> None:
    from conftest import case_file

    path = case_file(tmp_path, "medicare-advantage-prior-auth", drop=["sender.authorization"])
    assert _plan(path)[0] == "representative-authorization"
    signed = case_file(tmp_path, "medicare-advantage-prior-auth", name="signed")
    assert "representative-authorization" not in _plan(signed)


def test_no_surprises_act_findings_leave_a_ground_ambulance_out(tmp_path: Path) -> None:
    """check must not say the Act bars a bill the surprise-bill letter refuses."""
    from conftest import case_file
    from lettergen.analysis.facts import Facts

    for example in ("er-anesthesia", "er-out-of-network"):
        plain = Facts(load_case(case_file(tmp_path, example)))
        ambulance = Facts(load_case(case_file(tmp_path, example, {"provider.kind": "ambulance"},
                                              name="ambulance")))
        assert plain.nsa_protected
        assert not ambulance.nsa_protected
        assert not any("No Surprises" in f.title or f.id.startswith("nsa")
                       for f in ambulance.findings), [f.id for f in ambulance.findings]


def test_medicare_care_ending_without_a_notice_named_puts_the_qio_first(
        tmp_path: Path) -> None:
    """A user who writes that skilled nursing ends in two days, but not which notice came,
    is told at once to call the QIO: the fast-track appeal leads the plan (not ready until
    the notice is added), and a high finding says what to add."""
    from conftest import case_file
    from lettergen.packs.folder import open_packs
    from lettergen.reports.check import check_case

    path = case_file(tmp_path, "medicare-snf-discharge", drop=["denial.notice", "qio"])
    report = check_case(load_case(path), open_packs([]))
    assert report.plan[0].letter == "medicare-fast-track-appeal" and report.plan[0].urgent
    text = report.as_text()
    assert text.split("What to do next")[1].split("\n")[1] == \
        "  Send medicare-fast-track-appeal now."
    finding = next(f for f in report.findings if f.id == "care-ending-no-notice")
    assert finding.severity == "high"
    assert 'set [denial] notice = "nomnc"' in finding.detail
    assert "noon of the day after the notice arrived" in finding.detail
    named = check_case(load_case(case_file(tmp_path, "medicare-snf-discharge", name="named")),
                       open_packs([]))
    assert not any(f.id == "care-ending-no-notice" for f in named.findings)


def test_the_plan_drops_debt_validation_once_the_collector_verified(tmp_path: Path) -> None:
    import datetime as dt

    from conftest import case_file

    path = case_file(tmp_path, "collections-uninsured")
    assert "debt-validation" in _plan(path)
    verified = case_file(tmp_path, "collections-uninsured",
                         {"collector.verified": dt.date(2026, 9, 20)}, name="verified")
    assert "debt-validation" not in _plan(verified)
