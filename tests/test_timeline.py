"""`timeline`: clocks and contacts in date order; the caseload view; the iCalendar file."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from conftest import EXAMPLES, case_file
from lettergen.analysis.clocks import case_clocks
from lettergen.analysis.waiting import awaited_answers
from lettergen.case.casefile import load_case
from lettergen.cli import main

ALL = sorted(str(p) for p in EXAMPLES.glob("*.toml"))


def test_caseload_view_groups_by_urgency(capsys):
    assert main(["timeline", *ALL, "--today", "2026-09-28"]) == 0
    out = capsys.readouterr().out
    week = out.split("Due this week")[1].split("Later")[0]
    assert "collections-uninsured: debt validation period ends" in week
    assert "October 2, 2026" in week
    later = out.split("Later")[1]
    assert later.index("er-out-of-network: internal appeal") < \
        later.index("mri-medical-necessity: internal appeal")


def test_one_case_counts_from_its_own_date(capsys):
    assert main(["timeline", str(EXAMPLES / "er-out-of-network.toml")]) == 0
    out = capsys.readouterr().out
    assert "Today: April 25, 2026" in out
    assert "internal appeal deadline (165 days left; mail by September 30, 2026)" in out
    assert "contact with provider: Dana (CALL-5521)" in out


def test_mail_by_passed_says_send_today(capsys):
    main(["timeline", str(EXAMPLES / "collections-uninsured.toml"), "--today", "2026-09-28"])
    assert "too late to post: send today" in capsys.readouterr().out


def test_holds_that_run_out_are_on_the_timeline(tmp_path, capsys):
    path = case_file(tmp_path, "er-out-of-network", {"contacts": [{
        "date": dt.date(2026, 4, 21), "party": "provider", "kind": "call",
        "representative": "Dana", "reference": "CALL-5521",
        "summary": "30-day billing hold", "until": dt.date(2026, 5, 21)}]})
    main(["timeline", str(path)])
    assert "May 21, 2026  what the provider agreed on April 21, 2026 runs out" in \
        capsys.readouterr().out


def test_ics_holds_every_deadline_without_health_details(tmp_path):
    target = tmp_path / "caseload.ics"
    assert main(["timeline", *ALL, "--today", "2026-09-28", "--ics", str(target)]) == 0
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    clocks = [c for p in ALL for _, c in case_clocks(load_case(p))]
    untils = sum(1 for p in ALL for c in load_case(p).contacts if c.until)
    mail_by = sum(1 for c in clocks if c.by_mail and c.mail_by < c.due)
    # every letter sent and not answered that has a date for its answer, but the appeal
    # whose decision is already a clock (lettergen.analysis.waiting)
    answers = 0
    for p in ALL:
        case = load_case(p)
        decisions = {c.due for name, c in case_clocks(case) if name.startswith("decision")}
        answers += sum(1 for a in awaited_answers(case)
                       if not a.answered and a.due and a.due not in decisions)
    assert answers >= 1  # collections-final-offer's settlement offer of September 14
    assert len(events) == len(clocks) + untils + mail_by + answers
    dates = {e.decoded("dtstart") for e in events}
    assert {dt.date(2026, 10, 7), dt.date(2026, 11, 24), dt.date(2026, 11, 16),
            dt.date(2026, 10, 2), dt.date(2026, 11, 15)} <= dates
    for event in events:
        title = str(event["summary"])
        assert "$" not in title and not any(ch.isdigit() for ch in title), title
        for word in ("appendectomy", "MRI", "colonoscopy", "knee", "99285", "Anesthesia"):
            assert word.lower() not in title.lower()
        assert list(event.walk("VALARM")), "every deadline has a reminder"
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_ics_is_never_overwritten_without_force(tmp_path, capsys):
    target = tmp_path / "c.ics"
    target.write_text("mine", "utf-8")
    assert main(["timeline", ALL[0], "--ics", str(target)]) == 1
    assert target.read_text("utf-8") == "mine"


def test_ics_reminds_a_week_before_the_mail_by_date_at_nine(tmp_path):
    target = tmp_path / "c.ics"
    assert main(["timeline", str(EXAMPLES / "mri-external-review.toml"), "--ics",
                 str(target)]) == 0
    events = {str(e["summary"]): e for e in Calendar.from_ical(target.read_bytes())
              .walk("VEVENT")}
    mail = events["M.C.: mail by: external review request deadline"]
    deadline = events["M.C.: external review request deadline"]
    assert mail.decoded("dtstart") == dt.date(2026, 12, 17)  # the mail-by date
    assert deadline.decoded("dtstart") == dt.date(2026, 12, 24)  # and the deadline kept
    for event in (mail, deadline):
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("trigger") == dt.timedelta(days=-7, hours=9)  # 9:00, a week before


def test_a_letter_sent_and_unanswered_gets_an_answer_due_date(tmp_path, capsys):
    path = case_file(tmp_path, "er-out-of-network", {"contacts": [
        {"date": dt.date(2026, 4, 21), "party": "provider", "kind": "letter",
         "letter": "itemized-bill-request"},
        {"date": dt.date(2026, 4, 22), "party": "provider", "kind": "letter",
         "letter": "billing-hold-request", "answered": True}]})
    main(["timeline", str(path), "--today", "2026-06-01"])
    out = capsys.readouterr().out
    assert "letter to the provider: itemized-bill-request" in out
    assert "sent April 21, 2026 (" in out.split("Overdue")[1]  # no answer by its date
    assert "answer due from the provider to the billing hold" not in out  # answered
    target = tmp_path / "c.ics"
    main(["timeline", str(path), "--ics", str(target)])
    titles = [str(e["summary"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert "J.A.R.: answer due from the provider" in titles


def test_an_appeal_answered_by_a_later_denial_is_not_overdue(capsys):
    main(["timeline", str(EXAMPLES / "mri-external-review.toml")])
    out = capsys.readouterr().out
    assert "letter to the insurer: internal-appeal" in out  # sent July 1, decided Aug 20
    assert "answer due from the insurer" not in out
