"""Insurer-side letters built from the fully filled cases, read as their recipients would
(issue 10, "go further"): the plan's appeals unit, the regulator, the QIO.

Each test pins what a reader found wrong in a built letter: a pronoun that did not follow
the voice, a hospital stay read as one day, a specialty capitalized mid-sentence, a
contact log that labelled the plan "insurer", a second-level denial told as a first one,
and the patient's full name three times in one paragraph.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from conftest import _to_toml, letter_text
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"
INSURER_SIDE = ("internal-appeal", "external-review-request", "claim-file-request",
                "reprocessing-request", "network-gap-exception", "medical-necessity-request",
                "medicare-fast-track-appeal", "regulator-complaint",
                "representative-authorization", "records-request")
DATE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December) \d{1,2}, \d{4}")


def _patient_signs(tmp_path: Path, name: str) -> Path:
    """The full case with [sender] removed: the patient writes and signs."""
    data = tomllib.loads((FULL / name).read_text("utf-8"), parse_float=Decimal)
    data.pop("sender", None)
    path = tmp_path / f"self-{name}"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    return path


def _paragraph(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_ma_prior_authorization_appeal_in_the_patients_voice_says_i_may_not_be_billed(
        tmp_path: Path) -> None:
    # was "under your contract with Gulf Coast Joint Institute, me may not be billed"
    text = letter_text(FULL / "medicare-advantage-prior-auth.toml", "internal-appeal")
    assert "under your contract with Gulf Coast Joint Institute, I may not be billed" in text
    assert "me may not" not in text


def test_ma_prior_authorization_appeal_by_a_representative_names_the_patient(
        tmp_path: Path) -> None:
    data = tomllib.loads((FULL / "medicare-advantage-representative.toml").read_text("utf-8"),
                         parse_float=Decimal)
    source = tomllib.loads((FULL / "medicare-advantage-prior-auth.toml").read_text("utf-8"),
                           parse_float=Decimal)
    source["sender"] = data["sender"]
    path = tmp_path / "rep.toml"
    path.write_text(tomli_w.dumps(_to_toml(source)), "utf-8")
    text = letter_text(path, "internal-appeal")
    assert "Gulf Coast Joint Institute, Harold B. Whitfield may not be billed" in text


@pytest.mark.parametrize("name", ["medicare-advantage-prior-auth.toml",
                                  "medicare-advantage-representative.toml"])
def test_a_hospital_stay_reads_from_one_date_to_the_other(tmp_path: Path, name: str) -> None:
    """"on August 19, 2026 to August 21, 2026" reads as one day; every insurer-side letter
    that builds, in both voices, says "from ... to ..."."""
    built = 0
    for path in (FULL / name, _patient_signs(tmp_path, name)):
        case = load_case(path)
        for letter_id in INSURER_SIDE:
            try:
                letter = render_letter(case, letter_id, open_packs([]))
            except LetterDoesNotFitError:
                continue
            text = letter_text(path, letter_id)
            built += 1
            assert not re.search(rf"\bon {DATE} to {DATE}", text), (letter_id, text)
            assert letter.document is not None
    assert built >= 3
    text = letter_text(FULL / "medicare-advantage-prior-auth.toml", "internal-appeal")
    assert ("the care I received from Gulf Coast Joint Institute from August 19, 2026 to "
            "August 21, 2026 (claim SSA-2026-118842)") in text
    text = letter_text(FULL / "medicare-advantage-representative.toml", "claim-file-request")
    assert "for care from Gulf Coast Joint Institute from August 19, 2026 to August 21, 2026." \
        in text


def test_the_reviewers_specialty_reads_in_lower_case_inside_the_sentence() -> None:
    text = letter_text(FULL / "mri-medical-necessity.toml", "internal-appeal")
    assert "trained and experienced in orthopedic surgery who was not consulted" in text
    assert "in Orthopedic surgery" not in text


def test_the_plans_contact_log_has_no_column_naming_the_plan_insurer() -> None:
    """Filtered to the addressee, a "With" column only said "insurer" (the field name)
    on every row."""
    text = letter_text(FULL / "mri-medical-necessity.toml", "internal-appeal")
    lines = text.splitlines()
    assert "Date | Representative | Reference | What was said" in lines
    row = next(line for line in lines if "LS-44120" in line)
    assert row == ("June 3, 2026 | Marcus | LS-44120 | Asked for the claim file and guideline "
                   "LS-RAD-12; told the appeal window is 180 days.")
    assert not any(" | insurer | " in line for line in lines)


def test_the_regulator_hears_a_second_level_denial_as_upheld_on_appeal() -> None:
    text = letter_text(FULL / "mri-external-review.toml", "regulator-complaint")
    assert ("Lone Star Benefits Administrators upheld its denial on internal appeal on "
            "August 20, 2026, in a final internal decision: \"Appeal denied:") in text
    assert "denied the claim on August 20, 2026" not in text
    row = next(line for line in text.splitlines() if line.startswith("August 20, 2026 |"))
    assert "| Denial upheld on appeal: Appeal denied:" in row
    assert "Claim denied" not in row


def test_a_first_level_denial_still_reads_denied_to_the_regulator(tmp_path: Path) -> None:
    data = tomllib.loads((FULL / "mri-external-review.toml").read_text("utf-8"),
                         parse_float=Decimal)
    data["denial"].update(level=1, final_internal=False)
    path = tmp_path / "first.toml"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    text = letter_text(path, "regulator-complaint")
    assert "Lone Star Benefits Administrators denied the claim on August 20, 2026:" in text
    assert "final internal decision" not in text


def test_the_qio_reads_the_patients_name_once_in_the_first_paragraph() -> None:
    text = letter_text(FULL / "medicare-snf-discharge.toml", "medicare-fast-track-appeal")
    first = _paragraph(text, "I am writing for Margaret L. Okafor")
    assert ("plans to end Medicare coverage of the patient's skilled nursing facility care on "
            "December 4, 2026, and the patient disagrees.") in first
    assert first.count("Margaret L. Okafor") == 2  # the opening and "as ...'s son"
    assert "gives the patient the Detailed Explanation of Non-Coverage" in text


def test_the_qio_letter_in_the_patients_own_voice(tmp_path: Path) -> None:
    path = _patient_signs(tmp_path, "medicare-snf-discharge.toml")
    text = letter_text(path, "medicare-fast-track-appeal")
    assert "plans to end Medicare coverage of my skilled nursing facility care" in text
    assert "on December 4, 2026, and I disagree." in text
    assert "gives me the Detailed Explanation of Non-Coverage" in text


@pytest.mark.parametrize(("name", "heading"), [("er-out-of-network.toml", "Network status."),
                                               ("preventive-billed-diagnostic.toml",
                                                "Preventive care."),
                                               ("er-anesthesia.toml", "Emergency care.")])
def test_the_reprocessing_request_starts_each_correction_on_its_own_paragraph(
        name: str, heading: str) -> None:
    """The EOB paragraph swallowed the first heading ("... (codes CO-242). Network
    status. Springfield General ...")."""
    lines = letter_text(FULL / name, "reprocessing-request").splitlines()
    eob = next(line for line in lines if line.startswith("The Explanation of Benefits shows:"))
    assert heading not in eob
    assert lines[lines.index(eob) + 1].startswith(heading + " ")


def test_after_an_upheld_ma_reconsideration_the_file_asked_for_is_its_own() -> None:
    """The plan forwards an upheld reconsideration to the Independent Review Entity itself;
    the file asked for then was still only "the organization determination"'s."""
    text = letter_text(FULL / "medicare-advantage-representative.toml", "claim-file-request")
    assert ("the complete case file for the organization determination and the "
            "reconsideration, with every document that Sunshine Senior Advantage considered, "
            "and a copy of everything it sent to the Independent Review Entity") in text
    first = letter_text(FULL / "medicare-advantage-prior-auth.toml", "claim-file-request")
    assert "Independent Review Entity" not in first
    assert "complete case file for the organization determination, with every" in first
