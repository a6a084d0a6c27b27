"""The Spanish letters to the plan about review (external review, the claim file), to the
treating clinician (the letter of medical necessity) and to the provider (the records):
each builds exactly when its English letter builds, refuses with the same reasons, reads
as Spanish, is tagged es-US, and tells the recipient the same remedy, dates and rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import document_text
from lettergen.case.casefile import load_case
from lettergen.letters.render import render_letter
from lettergen.packs.folder import builtin_pack
from spanish import (
    FULL,
    FULL_CASES,
    assert_matches_english,
    build_pair,
    built_from,
    full_pair,
    full_texts,
    spanish_copy,
)

LETTERS = ("external-review-request", "medical-necessity-request", "claim-file-request",
           "records-request")


@pytest.mark.parametrize("letter_id", LETTERS)
@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_spanish_builds_when_english_does_and_reads_as_spanish(source, letter_id):
    en, es = full_pair(source.stem, letter_id)
    assert_matches_english(en, es, source)


def test_every_letter_builds_from_some_full_case():
    for letter_id in LETTERS:
        built = built_from(letter_id)
        assert len(built) >= 2, (letter_id, built)


# --- external review -------------------------------------------------------------------

def test_external_review_state_process_deadline_and_nsa():
    en, es = full_texts("er-out-of-network", "external-review-request")
    assert "November 20, 2026" in en
    assert "el último día es el 20 de noviembre de 2026" in es
    assert "Les escribo en nombre de Jordan A. Rivera para solicitar una revisión externa" in es
    assert "cubra y pague la reclamación con el costo compartido dentro de la red" in es
    assert "se aplica el proceso de revisión externa de Illinois" in es
    assert "29 CFR 2590.715-2719(c)" in es and "29 CFR 2590.716-4" in es
    assert "No Surprises Act (ley federal contra las facturas médicas sorpresa)" in es
    assert "Estimado equipo de Appeals Unit:" in es
    assert "Les ruego que confirmen por escrito a más tardar el 17 de agosto de 2026" in es
    assert "August 17, 2026" in en


def test_external_review_federal_process_medical_judgment():
    en, es = full_texts("mri-external-review", "external-review-request")
    assert "plan de salud grupal autofinanciado de un empleador" in es
    assert "se aplica el proceso federal de revisión externa" in es
    assert "Esta denegación se basa en un juicio médico: si la atención era médicamente " \
           "necesaria" in es
    assert "el último día es el 24 de diciembre de 2026" in es
    assert "dentro de los 45 días siguientes" in es
    # The enclosed final decision ("Final appeal decision dated August 20, 2026") is
    # recognised by its English date: no second copy is listed, as in English.
    assert "Denegación interna final del" not in es
    assert "Final internal denial dated" not in en


def test_external_review_refuses_medicare_as_english_does(tmp_path):
    en, es = build_pair(FULL / "medicare-snf-discharge.toml", tmp_path,
                        "external-review-request")
    assert isinstance(en, list) and isinstance(es, list)
    assert es == en
    assert "Original Medicare has no external review" in es[0]


# --- medical necessity -----------------------------------------------------------------

def test_medical_necessity_asks_the_clinician_as_usted():
    en, es = full_texts("mri-medical-necessity", "medical-necessity-request")
    assert "July 15, 2026" in en
    assert "Estimado Dr. Ortiz:" in es
    assert "Le escribo como su paciente." in es
    assert "Le pido una carta de necesidad médica que responda punto por punto a los " \
           "criterios del plan, a más tardar el 15 de julio de 2026" in es
    assert "revisión entre médicos (peer-to-peer)" in es
    assert "y estoy apelando esa decisión" in es
    assert "La solicitud de apelación interna debe presentarse a más tardar el " \
           "28 de noviembre de 2026" in es


def test_medical_necessity_after_final_denial_is_for_the_reviewer():
    en, es = full_texts("mri-external-review", "medical-necessity-request")
    assert "Le escribo en nombre de su paciente Mei-Ling Chen." in es
    assert "carta complementaria, dirigida al revisor independiente" in es
    assert "se está solicitando una revisión externa" in es
    assert "peer-to-peer" not in es and "peer-to-peer" not in en
    assert "dirigida a la organización de revisión independiente" in es
    assert "para que acompañe a la solicitud de revisión externa" in es


# --- claim file ------------------------------------------------------------------------

def test_claim_file_erisa_and_the_external_review_deadline():
    en, es = full_texts("mri-external-review", "claim-file-request")
    assert "Solicito una copia completa del expediente de la reclamación, sin costo" in es
    assert "29 CFR 2560.503-1(h)(2)(iii) y (m)(8)" in es
    assert "45 CFR 164.524" in es
    assert "Necesito el expediente para preparar la solicitud de revisión externa, que debe " \
           "presentarse a más tardar el 24 de diciembre de 2026" in es
    assert "October 15, 2026" in en and "a más tardar el 15 de octubre de 2026" in es
    # The representative's voice: the records are the patient's, named.
    assert "guarda sobre Mei-Ling Chen" in es
    assert "que Mei-Ling Chen tiene derecho a recibir" in es


def test_claim_file_patient_voice():
    en, es = full_texts("mri-medical-necessity", "claim-file-request")
    assert es.startswith("Mei-Ling Chen") or "Les escribo sobre la decisión de" in es
    assert "guarda sobre mí" in es and "que tengo derecho a recibir" in es
    assert "preparar la solicitud de apelación interna" in es


def test_claim_file_medicaid_managed_care_words(tmp_path):
    path = spanish_copy(FULL / "mri-medical-necessity.toml", tmp_path,
                        {"insurer.plan_type": "medicaid-managed-care"})
    es = document_text(render_letter(load_case(path), "claim-file-request",
                                     (builtin_pack(),)).document)
    assert "Como afiliado de un plan de atención administrada de Medicaid, tengo derecho" in es
    assert "tendré también acceso al expediente de la audiencia" in es


# --- records ---------------------------------------------------------------------------

def test_records_request_patient_voice_and_reply_date():
    en, es = full_texts("er-anesthesia", "records-request")
    assert "Estimado/a Oficial de Privacidad:" in es
    assert "Les escribo para solicitar copia de mis expedientes médicos y de facturación " \
           "sobre la atención que recibí de Prairie Anesthesia Associates el 2 de marzo " \
           "de 2026" in es
    assert "45 CFR 164.524" in es and "45 CFR 164.501" in es
    assert "Copia de mi identificación con foto" in es


def test_records_request_representative_voice():
    en, es = full_texts("medicare-advantage-representative", "records-request")
    assert "January 7, 2027" in en
    assert "a más tardar el 7 de enero de 2027, 30 días después del 8 de diciembre de 2026" in es
    assert "Les escribo en nombre de Harold B. Whitfield para solicitar copia de sus " \
           "expedientes" in es
    assert "como la persona a quien la autorización por escrito del paciente designa" in es
    assert "Copia de la identificación con foto de Harold B. Whitfield" in es


def test_records_request_without_authorization_is_signed_by_the_patient(tmp_path):
    source = FULL / "mri-external-review.toml"
    path = spanish_copy(source, tmp_path, {"sender.authorization": None})
    letter = render_letter(load_case(path), "records-request", (builtin_pack(),))
    es = document_text(letter.document)
    assert "Les escribo para solicitar copia de mis expedientes" in es
    assert "en nombre de" not in es
    assert any("the HIPAA right of access is the patient's" in n for n in letter.notes)


def _both(tmp_path: Path, source: str, changes: dict, letter_id: str) -> tuple[str, str]:
    """A full case changed, built in English and in Spanish (both must build)."""
    out = []
    for language in ("en", "es"):
        folder = tmp_path / language
        folder.mkdir()
        path = spanish_copy(FULL / f"{source}.toml", folder,
                            {**changes, "case.language": language})
        letter = render_letter(load_case(path), letter_id, (builtin_pack(),))
        assert letter.document.language == ("es-US" if language == "es" else "en")
        out.append(document_text(letter.document))
    return out[0], out[1]


def test_external_review_out_of_network_clinician_not_chosen(tmp_path):
    en, es = _both(tmp_path, "er-anesthesia-network-gap", {"claim.emergency": False},
                   "external-review-request")
    assert "whom I did not choose" in en
    assert "un profesional fuera de la red en Springfield General Hospital, un centro dentro " \
           "de la red, a quien no elegí" in es
    assert "La No Surprises Act (ley federal contra las facturas médicas sorpresa) limita mi " \
           "parte en esa atención al costo compartido dentro de la red" in es


def test_external_review_expedited_names_the_clinician_and_the_hours(tmp_path):
    en, es = _both(tmp_path, "mri-external-review",
                   {"denial.urgent": True, "claim.ongoing_treatment": True},
                   "external-review-request")
    assert "72 hours" in en
    assert "Solicitud de revisión externa acelerada" in es
    assert "pondría en grave peligro la vida o la salud de Mei-Ling Chen" in es
    assert "como explica la carta adjunta del Dr. Samuel Ortiz" in es
    assert "dentro de las 72 horas siguientes" in es
