"""The rules table and the deadline arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import EXAMPLES
from lettergen.analysis.facts import Facts
from lettergen.case.casefields import TABLES_BY_NAME
from lettergen.case.casefile import load_case
from lettergen.rules.deadlines import (
    add_months,
    deadline,
    federal_holidays,
    mail_by,
    next_business_day,
)
from lettergen.rules.table import LAW_GRADE, all_rules, get_rule

D = dt.date


def test_every_rule_is_complete_and_scoped_to_known_values():
    plan_types = set(TABLES_BY_NAME["insurer"].field("plan_type").values)
    kinds = set(TABLES_BY_NAME["provider"].field("kind").values)
    for rule in all_rules().values():
        assert rule.title and rule.summary and rule.source, rule.id
        assert rule.status in (*LAW_GRADE, "U", "policy", "practice"), rule.id
        assert isinstance(rule.checked, dt.date), rule.id
        assert set(rule.plan_types) <= plan_types, rule.id
        assert set(rule.provider_kinds) <= kinds, rule.id
        if rule.status in ("policy", "practice"):
            assert not rule.law_grade, f"{rule.id}: a {rule.status} cannot be cited as law"


def test_the_vacated_cfpb_rule_is_never_in_the_table():
    for rule in all_rules().values():
        assert "1022" not in rule.citation and "Regulation V" not in rule.citation


def test_no_sixty_day_hipaa_clock():
    assert get_rule("hipaa-access").days == 30


@pytest.mark.parametrize("year, expected", [
    (2026, [D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 5, 25), D(2026, 6, 19),
            D(2026, 7, 3), D(2026, 9, 7), D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 26),
            D(2026, 12, 25)]),
])
def test_federal_holidays(year, expected):
    assert sorted(federal_holidays(year)) == expected


def test_month_end_rule_of_federal_external_review():
    assert add_months(D(2025, 10, 30), 4) == D(2026, 3, 1)  # Feb 30 does not exist
    assert add_months(D(2026, 1, 31), 1) == D(2026, 3, 1)
    assert add_months(D(2026, 4, 15), 4) == D(2026, 8, 15)
    rule = get_rule("external-review-federal")
    assert deadline(rule, D(2026, 3, 14)) == D(2026, 7, 14)
    assert deadline(rule, D(2026, 3, 4)) == D(2026, 7, 6)  # July 4 2026 is a Saturday


def test_next_business_day_and_mail_by():
    assert next_business_day(D(2026, 11, 26)) == D(2026, 11, 27)  # Thanksgiving
    assert next_business_day(D(2026, 7, 4)) == D(2026, 7, 6)
    assert mail_by(D(2026, 10, 7)) == D(2026, 9, 30)
    assert mail_by(D(2026, 11, 30)) == D(2026, 11, 20)  # skips Thanksgiving and the weekend


@pytest.mark.parametrize("example, due", [
    ("er-out-of-network", D(2026, 10, 7)),
    ("mri-medical-necessity", D(2026, 11, 24)),
    ("medicare-advantage-prior-auth", D(2026, 11, 16)),  # 60 days from presumed receipt
])
def test_appeal_deadlines_of_the_sample_cases(example, due):
    clock = Facts(load_case(EXAMPLES / f"{example}.toml")).appeal_deadline
    assert clock is not None and clock.due == due


def test_medicare_redetermination_counts_presumed_receipt():
    rule = get_rule("medicare-redetermination")
    assert deadline(rule, D(2026, 4, 10)) == D(2026, 4, 15) + dt.timedelta(days=120)


def test_collections_and_501r_windows():
    assert deadline(get_rule("regf-validation-period"), D(2026, 9, 2)) == D(2026, 10, 2)
    assert deadline(get_rule("irs-501r-application-period"), D(2026, 3, 20)) == D(2026, 11, 15)
    assert deadline(get_rule("irs-501r-eca-wait"), D(2026, 3, 20)) == D(2026, 7, 18)


# ---- The source register (data/sources.toml) ------------------------------------------

def test_every_tag_a_rule_names_as_its_source_is_in_the_register():
    from lettergen.rules.sources import all_sources, source_tags

    register = all_sources()
    unknown = {f"{rule.id}: {tag}" for rule in all_rules().values()
               for tag in source_tags(rule.source) if tag not in register}
    assert not unknown, "sources not in data/sources.toml:\n" + "\n".join(sorted(unknown))


def test_the_register_says_what_each_source_is():
    from lettergen.rules.sources import KINDS, all_sources

    for source in all_sources().values():
        assert source.kind in KINDS and (source.what or source.where), source.tag
        assert all(w.startswith(("http://", "https://", "path ")) or " " in w
                   for w in source.where), source.tag


def test_source_tags_are_read_from_the_head_of_each_part():
    from lettergen.rules.sources import source_tags

    assert source_tags("C1 (quotes the rule); PLAN-DOCS") == ["C1", "PLAN-DOCS"]
    assert source_tags("WNYLC (NYLAG, 'Deemed exhaustion'); MARKETTRANSFER") == \
        ["WNYLC", "MARKETTRANSFER"]
    assert source_tags("lettergen convention") == []
    assert source_tags("the text itself was not found; C3") == ["C3"]
