"""`timeline`: clocks and contacts in date order; the caseload view; the iCalendar file."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from conftest import EXAMPLES, case_file
from lettergen.casefile import load_case
from lettergen.cli import main
from lettergen.clocks import case_clocks

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
    expected = sum(len(case_clocks(load_case(p))) + sum(1 for c in load_case(p).contacts
                                                         if c.until) for p in ALL)
    assert len(events) == expected
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
