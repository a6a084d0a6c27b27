"""The citation audit: every letter, every sample case, every plan type.

Whatever a letter cites must be in the rules table, be verified or corroborated, and
apply to the case's plan type and provider. Regimes that do not apply must not even
be named. A letter either builds cleanly or is refused with a reason.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from conftest import EXAMPLES, assert_clean, case_file, document_text
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs
from lettergen.rules.table import all_rules

PLAN_TYPES = ("employer", "public-employer", "church", "fehb", "marketplace", "individual",
              "short-term", "medicare", "medicare-advantage", "medicaid",
              "medicaid-managed-care", "uninsured", "other")
CITATION = re.compile(
    r"\d+ CFR part \d+(?:, subpart [A-Z])?"
    r"|\d+ CFR \d+(?:\.\d+)?(?:\([a-z0-9]+\)(?!\w))*(?:-\d+(?:\([a-z0-9]+\))*)?"
    r"|\d+ U\.S\.C\. \d+[a-z0-9-]*(?:\([a-z0-9]+\))*"
    r"|ERISA §\s?\d+(?:\([a-z0-9]+\))*"
    r"|\d+ FR \d+"
)
NOT_ERISA = ("public-employer", "church", "fehb", "marketplace", "individual", "short-term",
             "medicare", "medicare-advantage", "medicaid", "medicaid-managed-care", "uninsured")
NOT_ACA = ("church", "fehb", "short-term", "medicare", "medicare-advantage", "medicaid",
           "medicaid-managed-care", "uninsured", "other")
TEMPLATE_IDS = [t.id for t in list_templates(open_packs([]))]
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.toml"))


@cache
def _case_path(example: str, plan_type: str, tmp: str) -> str:
    from pathlib import Path

    folder = Path(tmp) / plan_type
    folder.mkdir(exist_ok=True)
    changes = {"insurer.plan_type": plan_type}
    if plan_type == "uninsured":
        changes = {"insurer": {"plan_type": "uninsured"}}
    return str(case_file(folder, example, changes))


def allowed_citation(found: str, case) -> bool:
    """``found`` starts a law-grade citation of a rule that applies to the case."""
    for rule in all_rules().values():
        if rule.law_grade and rule.citation.startswith(found) and rule.applies_to(case):
            return True
    return False


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("audit"))


@pytest.mark.parametrize("plan_type", PLAN_TYPES)
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_letter_cites_only_rules_that_apply(example, plan_type, case_dir):
    case = load_case(_case_path(example, plan_type, case_dir))
    built = 0
    for template_id in TEMPLATE_IDS:
        try:
            letter = render_letter(case, template_id, open_packs([]))
        except LetterDoesNotFitError as refused:
            assert refused.reasons and all(r.strip() for r in refused.reasons)
            continue
        built += 1
        text = document_text(letter.document)
        assert_clean(text)
        for found in CITATION.findall(text):
            assert allowed_citation(found, case), (
                f"{template_id} for a {plan_type} case cites {found!r}, which is not a "
                "verified or corroborated rule that applies to this case")
        if plan_type in NOT_ERISA:
            assert "2560.503-1" not in text and "ERISA" not in text, template_id
        if plan_type in NOT_ACA:
            assert "147.136" not in text and "2590.715" not in text, template_id
        if case.insurer.grandfathered and not Facts(case).nsa_protected:
            assert "147.136" not in text, template_id  # only No Surprises Act disputes
        assert "not legal advice" not in text.lower()
    assert built or plan_type == "uninsured" or not TEMPLATE_IDS


def test_support_matrix_gives_a_reason_for_every_refusal():
    from conftest import ROOT
    from lettergen.guide.sitegen import PLAN_TYPES as MATRIX_PLANS
    from lettergen.guide.sitegen import find_samples, support_matrix

    packs = open_packs([])
    matrix = support_matrix(find_samples(packs, ROOT / "examples"), packs)
    assert set(matrix) == set(TEMPLATE_IDS)
    for letter_id, row in matrix.items():
        assert set(row) == set(MATRIX_PLANS)
        assert any(reason == "" for reason in row.values()), f"{letter_id} fits no plan"
        for plan_type, reason in row.items():
            assert not reason.startswith("error"), (letter_id, plan_type, reason)
    assert matrix["external-review-request"]["medicare"]  # refused, with a reason
    assert matrix["internal-appeal"]["uninsured"]
    assert not matrix["internal-appeal"]["medicare"]
