"""The Spanish letters about how a claim or a bill was processed (the reprocessing request
and the network gap exception to the plan, the surprise-bill dispute to the provider) and
the Medicare fast-track appeal to the QIO: each builds exactly when its English letter
builds, refuses with the same reasons (in English, dates too), reads as Spanish, is tagged
es-US, and tells the recipient the same remedy, amounts, dates and rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import cli_letter_texts, document_text
from spanish import (
    FULL,
    FULL_CASES,
    assert_matches_english,
    build_pair,
    built_from,
    english_left,
    full_pair,
    full_texts,
    spanish_copy,
)

LETTERS = ("reprocessing-request", "network-gap-exception", "surprise-bill-dispute",
           "medicare-fast-track-appeal")


def variant(tmp_path: Path, case: str, letter_id: str, changes: dict[str, Any],
            drop: tuple[str, ...] = ()) -> tuple[Any, Any, Path]:
    """The (English, Spanish) letters of a full case with changes: each a Letter, or the
    refusal's reasons; and the Spanish case file (for english_left)."""
    english, spanish = build_pair(FULL / f"{case}.toml", tmp_path, letter_id, drop, changes)
    return english, spanish, tmp_path / f"{case}-es.toml"


def built_texts(tmp_path: Path, case: str, letter_id: str, changes: dict[str, Any],
                drop: tuple[str, ...] = ()) -> tuple[str, str]:
    en, es, path = variant(tmp_path, case, letter_id, changes, drop)
    assert not isinstance(en, list), en
    assert not isinstance(es, list), es
    assert es.document.language == "es-US"
    assert english_left(es, path) == []
    return document_text(en.document), document_text(es.document)


@pytest.mark.parametrize("letter_id", LETTERS)
@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_spanish_builds_when_english_does_and_reads_as_spanish(source, letter_id):
    en, es = full_pair(source.stem, letter_id)
    assert_matches_english(en, es, source)


def test_every_letter_builds_from_some_full_case():
    for letter_id in LETTERS:
        built = built_from(letter_id)
        assert built, letter_id


# --- Medicare fast-track appeal ---------------------------------------------------------

def test_fast_track_deadline_hour_rule_and_detailed_notice():
    en, es = full_texts("medicare-snf-discharge", "medicare-fast-track-appeal")
    assert "due noon on December 2, 2026" in en
    assert ("Asunto: URGENTE: apelación acelerada (fast-track), con plazo hasta las 12 del "
            "mediodía del 2 de diciembre de 2026") in es
    assert "Enviada por fax al 1-833-868-4056" in es
    assert "A quien corresponda:" in es
    assert "Número de Medicare: 1EG4-TE5-MK72" in es
    # The representative writes about the patient, named, without a guessed gender.
    assert ("Les escribo en nombre de Margaret L. Okafor para solicitar una determinación "
            "acelerada (fast-track): no está de acuerdo con que Willow Creek Rehabilitation "
            "and Nursing Center ponga fin el 4 de diciembre de 2026 a la cobertura de "
            "Medicare de su atención en un centro de enfermería especializada.") in es
    assert ("42 CFR 405.1202(b)(1) permite presentarla, por teléfono o por escrito, hasta las "
            "12 del mediodía del 2 de diciembre de 2026") in es
    assert "Les ruego que decidan antes del 4 de diciembre de 2026" in es
    assert ("entregue a Margaret L. Okafor la explicación detallada de no cobertura (Detailed "
            "Explanation of Non-Coverage) que exige 42 CFR 405.1202") in es
    assert "me llamen al (937) 555-0162" in es
    # The notice is enclosed by the case already: not listed a second time.
    assert es.count("Notice of Medicare Non-Coverage dated December 1, 2026") == 1
    assert "cc: Willow Creek Rehabilitation and Nursing Center" in es


def test_fast_track_hospital_discharge_medicare_advantage_patient_writes(tmp_path):
    en, es = built_texts(tmp_path, "medicare-snf-discharge", "medicare-fast-track-appeal", {
        "insurer.plan_type": "medicare-advantage", "insurer.name": "Buckeye Advantage Plan",
        "denial.notice": "important-message", "denial.service_kind": "hospital",
        "denial.why_disagree": None}, drop=("sender",))
    assert "42 CFR 422.622(f)" in en
    assert "Plan Medicare Advantage: Buckeye Advantage Plan, n.º de afiliado 1EG4-TE5-MK72" in es
    assert ("Important Message from Medicare con fecha del 1 de diciembre de 2026; alta "
            "prevista: 4 de diciembre de 2026") in es
    assert ("no estoy de acuerdo con que Willow Creek Rehabilitation and Nursing Center me dé "
            "de alta el 4 de diciembre de 2026") in es
    assert "hasta el 4 de diciembre de 2026, el día del alta" in es
    assert ("Según 42 CFR 422.622(f), el hospital no puede cobrarme la estancia antes del "
            "mediodía del día siguiente a aquel en que ustedes me comuniquen su decisión") in es
    assert "Les ruego que consulten a Dr. Ruth Abernathy" in es
    assert ("decidan si Buckeye Advantage Plan debe seguir cubriendo la estancia en el "
            "hospital") in es
    assert "se aseguren de que Buckeye Advantage Plan me entregue el aviso detallado del alta" in es
    assert "cc: Willow Creek Rehabilitation and Nursing Center; Buckeye Advantage Plan" in es


def test_fast_track_late_refusal_is_the_english_one_with_english_dates(tmp_path):
    en, es, _ = variant(tmp_path, "medicare-snf-discharge", "medicare-fast-track-appeal",
                        {"case.date": dt.date(2026, 12, 5)})
    assert isinstance(en, list) and es == en
    assert "was noon on December 2, 2026, before this letter's date (December 5, 2026)" in es[0]


def test_fast_track_pdf_in_spanish(tmp_path):
    path = spanish_copy(FULL / "medicare-snf-discharge.toml", tmp_path)
    docx, pdf = cli_letter_texts(tmp_path, path, "medicare-fast-track-appeal")
    for text in (docx, pdf):
        assert "A quien corresponda:" in text
        assert "Atentamente," in text
        assert "Documentos adjuntos:" in text


# --- reprocessing request ---------------------------------------------------------------

def test_reprocessing_network_and_emergency_with_external_review_clock():
    en, es = full_texts("er-out-of-network", "reprocessing-request")
    assert "November 20, 2026" in en
    assert ("La reclamación se procesó por error: se procesó como fuera de la red, aunque "
            "Springfield General Hospital está dentro de su red; la atención de emergencia se "
            "procesó como fuera de la red.") in es
    assert ("que envíen una Explicación de Beneficios (EOB) corregida a más tardar el 2 de "
            "septiembre de 2026") in es
    assert ("facturado $27,000.00; permitido $0.00; pagado por el plan $0.00; a cargo del "
            "paciente $27,000.00") in es
    assert "Estado de la red." in es and "Atención de emergencia." in es
    assert "(29 CFR 2590.716-4)" in es
    assert ("El plazo de la revisión externa, que vence el 20 de noviembre de 2026, sigue "
            "corriendo y, si para entonces la reclamación no se ha corregido, presentaré la "
            "solicitud de revisión externa antes de esa fecha.") in es
    assert "envíen la Explicación de Beneficios (EOB) corregida a Jordan A. Rivera" in es


def test_reprocessing_preventive_care_patient_writes():
    en, es = full_texts("preventive-billed-diagnostic", "reprocessing-request")
    assert ("Les pido que la vuelvan a procesar como atención preventiva, sin deducible, "
            "copago ni coseguro") in es
    assert "facturó el servicio con el modificador 33" in es
    assert "dejó $1,620.00 a mi cargo" in es
    assert "(42 U.S.C. 300gg-13; 45 CFR 147.130)" in es
    assert "Les ruego que me envíen la Explicación de Beneficios (EOB) corregida" in es
    assert ("Esta solicitud no sustituye a la apelación: la apelación interna presentada el "
            "3 de agosto de 2026 está pendiente; la decisión debe llegar a más tardar el 9 de "
            "octubre de 2026.") in es  # 60 days from August 10, when the appeal arrives


def test_reprocessing_coordination_of_benefits_lists_the_eob_once(tmp_path):
    en, es = built_texts(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                         {"denial.reason": "coordination-of-benefits"})
    assert "Coordinación de beneficios." in es
    assert "Con esta carta va mi declaración sobre la cobertura de salud que tenía el 18 de " \
           "junio de 2026" in es
    assert "Declaración de la otra cobertura de salud vigente el 18 de junio de 2026" in es
    # The case encloses "Explanation of Benefits dated July 15, 2026": the Spanish title
    # of the same dated document is not added beside it.
    assert "Explanation of Benefits dated July 15, 2026" in es
    assert "Explicación de Beneficios (EOB) del 15 de julio de 2026" not in es.split(
        "Documentos adjuntos:")[1]


def test_reprocessing_original_medicare_asks_a_reopening(tmp_path):
    en, es = built_texts(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                         {"insurer.plan_type": "medicare"})
    assert "reopen" in en
    assert "procesada en la notificación de resumen de Medicare (Medicare Summary Notice)" in es
    assert "según la cobertura de servicios preventivos de Medicare" in es
    assert "solicitud de reapertura (reopening) de la reclamación" in es
    assert "la norma de Medicare en que se basa" in es


# --- network gap exception --------------------------------------------------------------

def test_network_gap_emergency_patient_writes():
    en, es = full_texts("spanish-er-visit", "network-gap-exception")
    assert ("Les escribo para pedir a Lakeshore Marketplace Health que cubra la atención que "
            "recibí de Pilsen Community Hospital del 14 de junio de 2026 al 15 de junio de "
            "2026") in es
    assert "indica $24,600.00 a mi cargo sobre una factura de $24,600.00" in es
    assert "Se trató de atención de emergencia" in es
    assert "No firmé ningún formulario de aviso y consentimiento" in es
    assert "(45 CFR 149.110)" in es and "(45 CFR 149.410)" in es
    assert "el costo compartido dentro de la red es todo lo que yo debo" in es
    assert "a más tardar el 27 de noviembre de 2026" in es
    assert "El plazo de la revisión externa, que vence el 6 de febrero de 2027" in es


def test_network_gap_representative_ongoing_treatment(tmp_path):
    en, es = built_texts(tmp_path, "er-out-of-network", "network-gap-exception",
                         {"provider.in_network": False, "claim.ongoing_treatment": True})
    assert "case manager" in en
    assert "la atención que Jordan A. Rivera recibió de Springfield General Hospital" in es
    assert "por razones ajenas al control de Jordan A. Rivera" in es
    assert "Jordan A. Rivera no eligió a Springfield General Hospital." in es
    assert "como la única responsabilidad de Jordan A. Rivera" in es
    assert ("asignen un administrador de casos (case manager) para la atención de Jordan A. "
            "Rivera") in es


def test_network_gap_refusal_is_the_english_one(tmp_path):
    en, es, _ = variant(tmp_path, "spanish-er-visit", "network-gap-exception",
                        {"denial.reason": "medical-necessity"})
    assert isinstance(en, list) and es == en
    assert "medical necessity" in es[0]


# --- surprise bill dispute --------------------------------------------------------------

def test_surprise_bill_anesthesia_at_in_network_hospital():
    en, es = full_texts("er-anesthesia", "surprise-bill-dispute")
    assert ("Esta atención está protegida por la No Surprises Act (ley federal contra las "
            "facturas médicas sorpresa), así que no pueden facturarme más que el costo "
            "compartido dentro de la red que determine Acme Health Plan.") in es
    assert "un hospital que está en la red de Acme Health Plan" in es
    assert "Los servicios facturados son servicios de anestesia" in es
    assert "45 CFR 149.410" in es and "45 CFR 149.420" in es
    assert "como una reclamación amparada por la No Surprises Act" in es
    assert "No Surprises Help Desk, 1-800-985-3059" in es
    assert "a más tardar el 1 de junio de 2026" in es


def test_surprise_bill_plan_cost_sharing_arithmetic_representative(tmp_path):
    en, es = built_texts(tmp_path, "er-out-of-network", "surprise-bill-dispute", {
        "provider.in_network": False, "claim.plan_paid": Decimal("20000.00"),
        "claim.patient_responsibility": Decimal("500.00"), "claim.emergency": True},
        drop=("denial",))
    assert "$27,000.00 less $500.00 is $26,500.00" in en
    assert "no pueden facturarle a Jordan A. Rivera más que el costo compartido" in es
    assert "que Acme Health Plan fijó en $500.00" in es
    assert "$27,000.00 menos $500.00 son $26,500.00 por encima de lo que pueden facturar" in es
    assert "no le corresponde pagarlo a Jordan A. Rivera" in es
    assert "Cantidad facturada por encima del costo compartido del plan: $26,500.00" in es


def test_surprise_bill_coverage_denied_asks_a_hold(tmp_path):
    en, es = built_texts(tmp_path, "er-anesthesia", "surprise-bill-dispute",
                         {"denial.reason": "medical-necessity"})
    assert ("Factura por una atención cuya cobertura está en revisión: solicitud de poner la "
            "cuenta en espera") in es
    assert "el plazo para la apelación interna vence el 11 de octubre de 2026" in es
    assert "Para la atención de emergencia cubierta" in es
    assert "Les ruego que confirmen por escrito que la cuenta está en espera" in es


def test_surprise_bill_above_good_faith_estimate(tmp_path):
    en, es = built_texts(tmp_path, "collections-uninsured", "surprise-bill-dispute",
                         {"case.date": dt.date(2026, 4, 15)})
    assert "Cantidad por encima del estimado de buena fe: $1,500.00" in es
    assert ("$18,000.00 menos $16,500.00 son $1,500.00, al menos $400.00 más que el "
            "estimado") in es
    assert "(45 CFR 149.620)" in es
    assert "el último día para iniciarlo es el 29 de junio de 2026" in es
    assert "Les pido que ajusten la factura al estimado, $16,500.00" in es
    assert "a más tardar el 15 de mayo de 2026" in es


def test_surprise_bill_window_closed_refusal_is_the_english_one():
    en, es = full_pair("collections-uninsured", "surprise-bill-dispute")
    assert isinstance(en, list) and es == en
    assert "counted from the first bill dated March 1, 2026, ended on June 29, 2026" in es[0]
