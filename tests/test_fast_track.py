"""Medicare fast-track appeals to the QIO (issue 9, item 20).

Cases written for the letter: skilled nursing care ending in three days (Original
Medicare), a hospital discharge tomorrow, Medicare Advantage home health, a deadline
already passed and an ordinary denial. Every date is read where the patient meets it:
`check --json`, `check`'s text, the timeline, the calendar file and the letter (DOCX and
PDF), which must agree.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest

from conftest import case_file, clean_letter_text, cli_letter_texts, refusal
from lettergen.analysis.clocks import FAST_TRACK
from lettergen.analysis.facts import Facts
from lettergen.analysis.plan import case_plan
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.reports.timeline import ics_bytes, timeline_text

D = dt.date
TODAY = D(2026, 12, 1)
LETTER = "medicare-fast-track-appeal"
NOT_MEDICARE = ("29 CFR 2560", "45 CFR 147", "45 CFR 149", "ERISA", "Affordable Care Act")


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (PDF wraps lines)."""
    return re.sub(r"\s+", " ", text)


def snf(tmp_path, **changes):
    """Original Medicare: a skilled nursing facility's notice, received today, care
    ending in three days."""
    base = {"insurer": {"name": "Original Medicare", "plan_type": "medicare"},
            "patient.member_id": "1EG4-TE5-MK73", "denial.date": TODAY,
            "denial.received": TODAY, "denial.services_end": TODAY + dt.timedelta(days=3),
            "denial.service_kind": "skilled-nursing", "denial.notice": "nomnc"}
    return case_file(tmp_path, "medicare-snf-discharge", {**base, **changes}, name="snf")


def hospital(tmp_path, **changes):
    """Original Medicare: the Important Message, discharge planned for tomorrow."""
    base = {"insurer": {"name": "Original Medicare", "plan_type": "medicare"},
            "provider.name": "Miami Valley General Hospital", "provider.kind": "hospital",
            "denial.notice": "important-message", "denial.service_kind": "hospital",
            "denial.date": TODAY, "denial.received": TODAY,
            "denial.services_end": TODAY + dt.timedelta(days=1),
            "denial.why_disagree": "I still need oxygen to walk across the room.",
            "enclosures": [], "contacts": []}
    return case_file(tmp_path, "medicare-snf-discharge", {**base, **changes},
                     name="hospital")


def ma_home_health(tmp_path, **changes):
    """Medicare Advantage: a home health agency's notice, care ending in four days."""
    base = {"provider.name": "Gem City Home Health", "denial.service_kind": "home-health",
            "denial.date": TODAY, "denial.received": TODAY + dt.timedelta(days=1),
            "denial.services_end": TODAY + dt.timedelta(days=4),
            "case.date": TODAY + dt.timedelta(days=1)}
    return case_file(tmp_path, "medicare-snf-discharge", {**base, **changes},
                     name="home-health")


def everywhere(path, capsys) -> tuple[set[D], dict, str]:
    """The fast-track deadline as check --json, the timeline and the calendar give it
    (a set of one when they agree), the JSON entry, and check's text."""
    assert main(["check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    entries = [d for d in report["deadlines"] if d["name"] == FAST_TRACK]
    assert len(entries) == 1, report["deadlines"]
    found = {D.fromisoformat(entries[0]["date"])}
    case = load_case(path)
    due = next(iter(found))
    text = timeline_text([case], case.today)
    assert f"{due:%B} {due.day}, {due.year}" in text and FAST_TRACK in text
    calendar = icalendar.Calendar.from_ical(ics_bytes([case], case.today))
    events = [e for e in calendar.walk("VEVENT") if FAST_TRACK in str(e.get("summary"))]
    assert [e.decoded("dtstart") for e in events] == [due]
    assert "QIO" in str(events[0].get("description"))
    assert "Mail by" not in str(events[0].get("description"))
    main(["check", str(path)])
    return found, entries[0], capsys.readouterr().out


def letter_date(text: str) -> D:
    """The deadline the letter states ("until noon on December 2, 2026")."""
    found = re.search(r"until (?:noon on )?([A-Z][a-z]+ \d{1,2}, \d{4})", flat(text))
    assert found, text
    return dt.datetime.strptime(found.group(1), "%B %d, %Y").date()


# --- the clocks ---------------------------------------------------------------------------


def test_nomnc_deadline_is_noon_of_the_day_after_the_notice_arrived(tmp_path, capsys):
    path = snf(tmp_path)
    dates, entry, text = everywhere(path, capsys)
    assert dates == {TODAY + dt.timedelta(days=1)}
    assert entry["by_time"] == "noon" and entry["mail_by"] is None
    assert entry["rule"] == "qio-nomnc-request" and entry["citation"] == "42 CFR 405.1202(b)(1)"
    line = next(ln for ln in text.splitlines() if FAST_TRACK in ln)
    assert "CALL the QIO" in line and "mail by" not in line and "by noon" in line
    assert "CALL the QIO" in entry["advice"]
    docx, pdf = cli_letter_texts(tmp_path, path, LETTER)
    for body in (docx, pdf):
        assert letter_date(body) == TODAY + dt.timedelta(days=1)


def test_without_a_date_for_the_notice_the_deadline_is_noon_the_day_before_care_ends(
        tmp_path):
    path = snf(tmp_path, **{"denial.date": None, "denial.received": None,
                            "denial.services_end": TODAY + dt.timedelta(days=3)})
    clock = Facts(load_case(path)).fast_track_deadline
    assert clock.due == TODAY + dt.timedelta(days=2) and clock.time == "noon"
    assert "latest it may come" in clock.note


def test_printed_date_counts_when_the_day_it_arrived_is_not_given(tmp_path):
    path = snf(tmp_path, **{"denial.received": None,
                            "denial.date": TODAY - dt.timedelta(days=1)})
    clock = Facts(load_case(path)).fast_track_deadline
    assert clock.due == TODAY and clock.counted_from_printed_date


def test_hospital_deadline_is_the_discharge_day(tmp_path, capsys):
    path = hospital(tmp_path)
    dates, entry, text = everywhere(path, capsys)
    assert dates == {TODAY + dt.timedelta(days=1)}
    assert entry["by_time"] is None and entry["mail_by"] is None
    assert entry["citation"] == "42 CFR 405.1206(b)(1)"
    line = next(ln for ln in text.splitlines() if FAST_TRACK in ln)
    assert "CALL the QIO" in line and "due tomorrow" in line
    docx, pdf = cli_letter_texts(tmp_path, path, LETTER)
    for body in (docx, pdf):
        words = flat(body)
        assert letter_date(body) == TODAY + dt.timedelta(days=1)
        assert "the day of discharge" in words and "Important Message from Medicare" in words
        assert "may stay in the hospital while you review" in words
        assert "42 CFR 405.1206" in words and "Detailed Notice of Discharge" in words
        assert "planned discharge: December 2, 2026" in words
        assert "Copy of the Important Message from Medicare dated December 1, 2026" in words


def test_ma_home_health_deadline_and_citations(tmp_path, capsys):
    path = ma_home_health(tmp_path)
    dates, entry, _ = everywhere(path, capsys)
    assert dates == {TODAY + dt.timedelta(days=2)}  # received December 2: noon December 3
    assert entry["rule"] == "ma-fast-track-request"
    docx, pdf = cli_letter_texts(tmp_path, path, LETTER)
    for body in (docx, pdf):
        words = flat(body)
        assert letter_date(body) == TODAY + dt.timedelta(days=2)
        assert "42 CFR 422.626(a)(1)" in words and "42 CFR 422.626(b) and (d)(5)" in words
        assert "Buckeye Senior Advantage must cover the care until the date on the notice" \
            in words
        assert "42 CFR 422.626(e)(1)" in words and "home health care" in words
        assert "405.1202" not in words  # Original Medicare's rule is not the plan's


def test_check_says_nothing_about_calling_when_the_deadline_is_days_away(tmp_path, capsys):
    path = snf(tmp_path, **{"denial.received": TODAY + dt.timedelta(days=3),
                            "denial.services_end": TODAY + dt.timedelta(days=6),
                            "case.date": TODAY})
    _, entry, text = everywhere(path, capsys)
    line = next(ln for ln in text.splitlines() if FAST_TRACK in ln)
    assert "CALL" not in line and "fax the letter or call the QIO" in line
    assert "mail by" not in line


def test_check_says_call_when_the_deadline_is_today(tmp_path, capsys):
    path = snf(tmp_path, **{"denial.received": TODAY - dt.timedelta(days=1)})
    _, entry, text = everywhere(path, capsys)
    assert entry["days_left"] == 0
    line = next(ln for ln in text.splitlines() if FAST_TRACK in ln)
    assert "due today by noon: CALL the QIO now" in line
    assert "URGENT" in clean_letter_text(path, LETTER)


# --- the letter ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [snf, hospital, ma_home_health])
def test_letter_names_the_qio_the_notice_the_end_date_and_cites_only_medicare(tmp_path, make):
    path = make(tmp_path)
    case = load_case(path)
    docx, pdf = cli_letter_texts(tmp_path, path, LETTER)
    end = case.denial.services_end
    for body in (docx, pdf):
        words = flat(body)
        assert "Lakeside BFCC-QIO" in words and "Sent by fax to 1-800-555-0124" in words
        assert f"{end:%B} {end.day}, {end.year}" in words
        assert "fast-track (expedited) determination" in words
        assert "42 CFR 4" in words
        for other in NOT_MEDICARE:
            assert other not in words, other
    clean_letter_text(path, LETTER)


def test_original_medicare_snf_letter(tmp_path):
    text = flat(clean_letter_text(snf(tmp_path), LETTER))
    assert "Medicare number: 1EG4-TE5-MK73" in text
    assert "Notice of Medicare Non-Coverage dated December 1, 2026" in text
    assert "42 CFR 405.1202(b)(1)" in text and "Detailed Explanation of Non-Coverage" in text
    assert "skilled nursing facility care" in text
    # the coverage protection after the notice's date is not verified: asked, not claimed
    assert "Please decide before December 4, 2026, so that the care does not stop" in text
    assert '"I still cannot stand or walk to the bathroom' in text


def test_without_the_patients_reasons_the_letter_asks_instead_of_asserting(tmp_path):
    text = flat(clean_letter_text(snf(tmp_path, **{"denial.why_disagree": None}), LETTER))
    assert "Please ask the treating doctor and review the records to decide whether my " \
        "condition still needs this care" in text
    assert "own words" not in text


def test_without_the_kind_of_care_the_letter_says_my_care(tmp_path):
    text = flat(clean_letter_text(snf(tmp_path, **{"denial.service_kind": None}), LETTER))
    assert "Medicare coverage of my care on December 4, 2026" in text
    assert "keep covering the care after December 4, 2026" in text
    assert "my the care" not in text and "the the care" not in text


def test_a_notice_with_only_the_day_it_arrived_says_when_it_came(tmp_path):
    text = flat(clean_letter_text(snf(tmp_path, **{"denial.date": None}), LETTER))
    assert "The Notice of Medicare Non-Coverage was received on December 1, 2026." in text
    assert "was given to me" not in text


def test_a_notice_with_neither_date_was_given_to_the_patient(tmp_path):
    text = flat(clean_letter_text(
        snf(tmp_path, **{"denial.date": None, "denial.received": None}), LETTER))
    assert "The Notice of Medicare Non-Coverage was given to me." in text


def test_a_representative_writes_for_the_patient(tmp_path):
    path = snf(tmp_path, sender={"name": "Daniel Okafor", "role": "Son and appointed "
                                 "representative", "authorization": "enclosed",
                                 "address": ["410 Riverside Drive", "Dayton, OH 45405"],
                                 "phone": "(937) 555-0188"})
    text = flat(clean_letter_text(path, LETTER))
    assert "I am writing for Margaret L. Okafor to request" in text
    assert "I write as Margaret L. Okafor's son and appointed representative" in text
    assert "Written authorization signed by Margaret L. Okafor" in text
    assert "call (937) 555-0188 with your decision" in text


def test_the_example_fits_on_one_page(tmp_path):
    from pypdf import PdfReader

    from conftest import EXAMPLES

    out = tmp_path / "out"
    assert main(["build", str(EXAMPLES / "medicare-snf-discharge.toml"), "-l", LETTER,
                 "-f", "pdf", "-o", str(out)]) == 0
    pdf = out / "medicare-snf-discharge" / f"{LETTER}.pdf"
    assert len(PdfReader(pdf).pages) == 1


# --- refusals -----------------------------------------------------------------------------


def test_refused_for_an_ordinary_denial_with_a_next_step(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth")
    why = refusal(path, LETTER)
    assert "no Medicare notice that care is ending" in why
    assert "lettergen build -l internal-appeal" in why


def test_refused_once_the_deadline_has_passed_with_what_is_still_possible(tmp_path):
    why = refusal(snf(tmp_path, **{"denial.received": TODAY - dt.timedelta(days=3)}), LETTER)
    assert "the deadline for a fast-track appeal was noon on November 29, 2026" in why
    assert "call the QIO anyway" in why and "42 CFR 405.1202" in why
    assert "ordinary appeal" in why


def test_late_ma_hospital_request_points_to_the_plans_expedited_reconsideration(tmp_path):
    path = hospital(tmp_path, insurer={"name": "Buckeye Senior Advantage",
                                       "plan_type": "medicare-advantage"},
                    **{"denial.services_end": TODAY - dt.timedelta(days=1)})
    why = refusal(path, LETTER)
    assert "expedited reconsideration" in why and "42 CFR 422.622(b)(5)" in why


def test_refused_without_the_qio_fax(tmp_path):
    why = refusal(snf(tmp_path, qio={"name": "Lakeside BFCC-QIO"}), LETTER)
    assert "[qio] name and fax" in why and "call the QIO now" in why


def test_refused_for_a_plan_that_is_not_medicare(tmp_path):
    why = refusal(snf(tmp_path, insurer={"name": "Acme", "plan_type": "employer"}), LETTER)
    assert "does not fit plan type 'employer'" in why


def test_important_message_must_be_a_hospital_stay(tmp_path):
    why = refusal(hospital(tmp_path, **{"denial.service_kind": "home-health"}), LETTER)
    assert "Important Message from Medicare" in why and 'notice = "nomnc"' in why


# --- the plan -----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [snf, hospital, ma_home_health])
def test_the_plan_puts_the_fast_track_appeal_first(tmp_path, make):
    case = load_case(make(tmp_path))
    steps = case_plan(case)
    assert steps[0].letter == LETTER
    due = Facts(case).fast_track_deadline.due
    assert steps[0].when.startswith(f"by {due:%B} {due.day}, {due.year}")
    assert "by phone or fax" in steps[0].when
    assert "internal-appeal" not in [s.letter for s in steps]


def test_no_ordinary_appeal_clock_while_care_is_ending(tmp_path):
    names = [name for name, _ in Facts(load_case(snf(tmp_path))).clocks]
    assert names == [FAST_TRACK]


def test_a_notice_on_a_plan_that_is_not_medicare_keeps_the_ordinary_appeal_clock(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.notice": "nomnc"})
    facts = Facts(load_case(path))
    assert not facts.care_ending and facts.fast_track_deadline is None
    assert any(name.endswith("appeal deadline") for name, _ in facts.clocks)
