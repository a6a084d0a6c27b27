"""The Spanish internal appeal (letter_templates/es/internal-appeal.md and the appeal
partials it includes): it builds exactly when the English appeal builds, refuses with
the same reasons (in English, their dates too), reads as Spanish, is tagged es-US, cites
the same rules, and tells the plan the same remedy and dates, for every denial reason,
written by the patient or by a representative, and on every appeal route (ERISA, ACA,
a plan's own procedure, Medicare, Medicare Advantage, Medicaid and its fair hearings)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import document_text
from lettergen.case.money import format_date
from spanish import (
    FULL,
    FULL_CASES,
    assert_matches_english,
    build_pair,
    built_from,
    english_left,
    full_pair,
)

LETTER = "internal-appeal"
REASONS = ("medical-necessity", "prior-authorization", "out-of-network", "coding", "bundling",
           "coverage-terminated", "rescission", "benefit-limit", "experimental", "timely-filing",
           "preventive-as-diagnostic", "coordination-of-benefits", "other")
# What the plan reads in the Spanish letter for each reason: the reason as the first
# paragraph names it, and the argument its partial makes.
REASON_WORDS = {
    "medical-necessity": ("por considerar que no era médicamente necesaria",
                          "La atención era médicamente necesaria"),
    "prior-authorization": ("por falta de autorización previa",
                            "concedan una autorización retroactiva"),
    "out-of-network": ("por considerarla fuera de la red",
                       "la reclamación debe tramitarse como dentro de la red"),
    "coding": ("por un error de codificación",
               "Un error de codificación es motivo para corregir la reclamación"),
    "bundling": ("por considerarla incluida en otro servicio",
                 "El servicio denegado fue separado y distinto del servicio pagado"),
    "coverage-terminated": ("alegando que la cobertura había terminado",
                            "La cobertura estaba vigente el 2 de mayo de 2026"),
    "rescission": ("mediante la rescisión de la cobertura",
                   "que restablezcan la cobertura desde su fecha original"),
    "benefit-limit": ("por superar un límite de beneficios",
                      "como excepción al límite"),
    "experimental": ("por considerarla experimental o en investigación",
                     "es una práctica médica aceptada para este diagnóstico"),
    "timely-filing": ("por no haberse presentado a tiempo",
                      "la prueba de presentación oportuna"),
    "preventive-as-diagnostic": ("al tramitar atención preventiva como atención de diagnóstico",
                                 "como atención preventiva sin costo compartido"),
    "coordination-of-benefits": ("en espera de la coordinación de beneficios con otra cobertura",
                                 "como pagador primario si"),
    "other": ("", "Les ruego que indiquen la disposición concreta del plan en que se basan"),
}
REPRESENTATIVE = {"sender.name": "Alex Rivera", "sender.role": "Spouse",
                  "sender.address": ["88 Oak Lane", "Austin, TX 78701"],
                  "sender.authorization": "enclosed"}
CITATION = re.compile(r"\d+ (?:CFR|U\.S\.C\.) [\w.()\-§]+")


def variant(tmp_path: Path, case: str, changes: dict[str, Any],
            drop: tuple[str, ...] = ()) -> tuple[Any, Any, Path]:
    """The (English, Spanish) appeal of a full case with changes: each a Letter, or the
    refusal's reasons; and the Spanish case file (for english_left)."""
    english, spanish = build_pair(FULL / f"{case}.toml", tmp_path, LETTER, drop, changes)
    return english, spanish, tmp_path / f"{case}-es.toml"


def built_texts(tmp_path: Path, case: str, changes: dict[str, Any],
                drop: tuple[str, ...] = ()) -> tuple[str, str]:
    """Both letters built, the Spanish one read as Spanish: its text and the English."""
    en, es, path = variant(tmp_path, case, changes, drop)
    assert not isinstance(en, list), en
    assert not isinstance(es, list), es
    assert es.document.language == "es-US"
    assert english_left(es, path) == []
    assert es.notes == en.notes
    return document_text(en.document), document_text(es.document)


def spanish_date(english_text: str, before: str) -> str:
    """The date the English letter prints after ``before``, as the Spanish one prints it."""
    found = re.search(re.escape(before) + r" (\w+ \d{1,2}, \d{4})", english_text)
    assert found, before
    return format_date(dt.datetime.strptime(found.group(1), "%B %d, %Y").date(), "es")


def first_paragraph(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Les escribo"))


def assert_same_rules(en_text: str, es_text: str, cites: bool = True) -> None:
    """The Spanish letter cites exactly the rules the English one cites (some, unless
    ``cites`` is false: a plan's own procedure cites none)."""
    english = {c.rstrip(".,;") for c in CITATION.findall(en_text)}
    spanish = {c.rstrip(".,;") for c in CITATION.findall(es_text)}
    assert spanish == english
    assert bool(english) == cites


@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_spanish_builds_when_english_does_and_reads_as_spanish(source):
    en, es = full_pair(source.stem, LETTER)
    assert_matches_english(en, es, source)
    if not isinstance(en, list):
        assert_same_rules(document_text(en.document), document_text(es.document))


def test_some_full_cases_build_and_some_refuse():
    built = built_from(LETTER)
    assert "mri-medical-necessity" in built and "medicare-advantage-prior-auth" in built
    assert len(built) < len(FULL_CASES)


def test_a_late_appeal_is_refused_with_the_english_reason_and_english_dates():
    en, es = full_pair("credit-report-paid", LETTER)
    assert isinstance(es, list) and es == en
    assert "the internal appeal deadline counted from the denial dated March 10, 2025" in es[0]
    assert "de 2025" not in es[0] and "&#39;" not in es[0]


@pytest.mark.parametrize("writer", ["patient", "representative"])
@pytest.mark.parametrize("reason", REASONS)
def test_every_denial_reason_is_argued_in_spanish(tmp_path, reason, writer):
    changes: dict[str, Any] = {"denial.reason": reason}
    if writer == "representative":
        changes.update(REPRESENTATIVE)
    en, es = built_texts(tmp_path, "mri-medical-necessity", changes)
    opening = first_paragraph(es)
    words, argument = REASON_WORDS[reason]
    assert words in opening
    assert "Les ruego que revoquen la denegación y que paguen la reclamación" in opening
    assert "Por qué debe revocarse la denegación." in es
    assert argument in es
    assert "Pruebas. Les ruego que decidan esta apelación interna con base en lo siguiente" in es
    # The decision asked by its date (60 days after the letter should arrive), and the
    # reply by the letter's own reply date, both as the English letter computes them.
    decision = spanish_date(en, "I ask for it by")
    assert f"La solicito a más tardar el {decision}, 60 días después del" in es
    assert f"a más tardar el {spanish_date(en, 'asked for above by')}. Gracias." in es
    assert_same_rules(en, es)
    if writer == "representative":
        assert opening.startswith("Les escribo en nombre de Mei-Ling Chen para apelar")
        assert "que Mei-Ling Chen recibió de Capitol Orthopedic Associates" in opening
        assert "Escribo como spouse de Mei-Ling Chen; adjunto" in opening
        assert "que recibí" not in es and "todos mis derechos" not in es
        assert "con reserva de todos los derechos de Mei-Ling Chen" in es
    else:
        assert "que recibí de Capitol Orthopedic Associates el 2 de mayo de 2026" in opening
        assert "con reserva de todos mis derechos" in es


def test_the_notice_is_listed_as_an_enclosure_in_spanish_when_the_case_has_none(tmp_path):
    _, es = built_texts(tmp_path, "mri-medical-necessity", {}, drop=("enclosures",))
    assert "Copia de la denegación del 28 de mayo de 2026" in es
    assert "Documentos adjuntos:" in es


def test_original_medicare_redetermination_and_reconsideration(tmp_path):
    en, es = built_texts(tmp_path / "1", "er-anesthesia", {"insurer.plan_type": "medicare"})
    assert "Solicitud de redeterminación de una reclamación de Medicare" in es
    assert first_paragraph(es).startswith(
        "Les escribo para solicitar una redeterminación de la determinación inicial del "
        "10 de abril de 2026 que denegó el pago de Medicare")
    assert "Medicare Original no limita la cobertura a una red de proveedores" in es
    assert "un Medicare Summary Notice (Resumen de Medicare) corregido" in es
    assert_same_rules(en, es)
    en, es = built_texts(tmp_path / "2", "er-anesthesia",
                         {"insurer.plan_type": "medicare", "denial.level": 2})
    assert "Este es el segundo nivel de apelación" in es
    assert "Estimado equipo de Appeals Unit:" in es  # the address's office
    assert "Esta solicitud de reconsideración se presenta a tiempo." in es
    assert_same_rules(en, es)


def test_medicaid_fair_hearing_is_addressed_to_the_hearing_officer(tmp_path):
    en, es = built_texts(tmp_path, "er-anesthesia", {"insurer.plan_type": "medicaid"})
    assert "Estimado/a Oficial de Audiencias:" in es
    assert "Solicito que se revoque la denegación y que se pague la reclamación." in es
    assert "Plazo para solicitar una audiencia." in es
    assert "la fecha más tardía posible es el 9 de julio de 2026" in es
    assert_same_rules(en, es)


def test_state_fair_hearing_after_a_managed_care_appeal(tmp_path):
    changes = {"insurer.plan_type": "medicaid-managed-care", "denial.level": 2}
    en, es, _ = variant(tmp_path / "none", "er-anesthesia", changes)
    assert isinstance(es, list) and es == en  # no [regulator]: the same English refusal
    assert "state fair hearing" in es[0]
    changes.update({"regulator.name": "State Medicaid Fair Hearings Office",
                    "regulator.address": ["PO Box 5", "Springfield, IL 62701"]})
    en, es = built_texts(tmp_path / "with", "er-anesthesia", changes)
    assert "State Medicaid Fair Hearings Office" in es
    assert "Estimado/a Oficial de Audiencias:" in es
    assert "el proceso de apelación del plan ha concluido" in es
    assert "cc: Prairie Anesthesia Associates; Acme Health Plan" in es
    assert_same_rules(en, es)


@pytest.mark.parametrize("plan_type, clock", [("employer", "dentro de las 72 horas"),
                                              ("marketplace", "dentro de las 72 horas"),
                                              ("church", "procedimiento del plan para "
                                                         "reclamaciones urgentes")])
def test_expedited_review_for_ongoing_treatment(tmp_path, plan_type, clock):
    en, es = built_texts(tmp_path, "mri-medical-necessity",
                         {"insurer.plan_type": plan_type, "denial.urgent": True,
                          "claim.ongoing_treatment": True})
    assert "URGENTE, se solicita revisión acelerada: " in es
    assert "Revisión acelerada. Esperar una decisión ordinaria podría poner en grave peligro " \
           "mi vida" in es
    assert clock in es
    assert "Como mi tratamiento continúa" in es
    assert_same_rules(en, es, cites=plan_type != "church")


def test_level_two_appeal_says_so(tmp_path):
    en, es = built_texts(tmp_path, "er-anesthesia", {"denial.level": 2})
    assert "Apelación interna de una reclamación denegada (nivel 2)" in es
    assert "Esta es una apelación interna de nivel 2." in es
    assert_same_rules(en, es)


def test_care_not_yet_given_asks_for_approval(tmp_path):
    en, es = built_texts(tmp_path, "mri-medical-necessity",
                         {"claim.service_date": dt.date(2026, 7, 20)})
    opening = first_paragraph(es)
    assert "la cobertura de la atención que Capitol Orthopedic Associates tiene programada " \
           "para mí el 20 de julio de 2026" in opening
    assert opening.endswith("Les ruego que revoquen la denegación y que aprueben el servicio.")
    assert "revoquen la denegación y aprueben el servicio;" in es.splitlines()
    assert f"La solicito a más tardar el {spanish_date(en, 'I ask for it by')}, 30 días" in es
    assert_same_rules(en, es)
