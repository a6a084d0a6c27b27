"""The Spanish words of the facts that reach a letter as text.

Most facts are numbers, dates and yes-or-no; the few that reach a letter as English
words (a proof of income, a line of the chronology) have their Spanish counterpart
here, named like the English one with ``_es``, so a Spanish template never prints an
English phrase and never translates one by matching its English text. Each section
belongs to the letters named in its heading.
"""

from __future__ import annotations

from typing import Any


class SpanishFacts:
    """Mixin of ``Facts``: the core and letter facts are reached through ``self``."""

    _case: Any

    # --- appeals: internal-appeal and the appeal partials ---------------------------

    @property
    def plan_label_es(self) -> str:
        """``plan_label`` in Spanish, every one masculine ("este plan de salud del
        Marketplace"), except the programs' own names (Medicare Original, Medicaid)."""
        return {
            "employer": "plan de salud grupal patrocinado por el empleador",
            "public-employer": "plan de salud grupal de un empleador público",
            "church": "plan de salud de una iglesia",
            "fehb": "plan de Federal Employees Health Benefits (el programa de seguro "
                    "médico de los empleados federales)",
            "marketplace": "plan de salud del Marketplace",
            "individual": "plan de seguro médico individual",
            "short-term": "plan de salud de corto plazo",
            "medicare": "Medicare Original",
            "medicare-advantage": "plan Medicare Advantage",
            "medicaid": "Medicaid",
            "medicaid-managed-care": "plan de atención administrada de Medicaid",
            "uninsured": "sin seguro",
            "other": "plan de salud",
        }[self.plan_type]

    # --- insurer letters: external review, medical necessity, claim file, records ---

    # --- insurer letters: reprocessing, network gap, surprise bill, fast track ------

    @property
    def fast_track_until_es(self) -> str:
        """When the fast-track deadline (``fast_track_deadline``) ends, as a Spanish letter
        says it after "hasta": "las 12 del mediodía del 2 de diciembre de 2026" for a rule
        that ends at noon, "el 4 de diciembre de 2026" for one that runs to the end of the
        day; "" when the case has no fast-track deadline."""
        from lettergen.case.money import format_date

        clock = self.fast_track_deadline  # type: ignore[attr-defined]
        if clock is None:
            return ""
        day = format_date(clock.due, "es")
        if not clock.time:
            return f"el {day}"
        # The hour the rule's last day ends at (rules.toml clock.time).
        hours = {"noon": "las 12 del mediodía"}
        return f"{hours.get(clock.time, clock.time)} del {day}"

    # --- provider letters: billing correction and hold, coding review, refund, call -

    # --- money letters: offers, settlement, repricing, financial assistance ---------

    @property
    def income_proof_es(self) -> str:
        """``income_proof`` in Spanish: the proof of income that fits the household's
        source of income, as an enclosure title."""
        return {
            "social-security": "Carta de beneficios del Seguro Social de este año (la "
                               "carta de beneficios de la SSA)",
            "ssi": "Carta de concesión del Seguro de Ingreso Suplementario (SSI) de este año",
            "pension": "Estado de cuenta de la pensión de este año",
            "unemployment": "Constancia de beneficios por desempleo",
            "self-employment": "Última declaración de impuestos con su anexo de trabajo "
                               "por cuenta propia",
            "wages": "Talones de pago recientes (los de los últimos tres meses)",
        }.get(self._case.hardship.income_source or "",
              "Comprobante de ingresos del hogar (talones de pago recientes, cartas de "
              "beneficios o la última declaración de impuestos)")

    # --- collections and complaints: debt validation, credit report, regulator, ----
    #     representative authorization

    @property
    def chronology_es(self) -> list[dict[str, Any]]:
        """``chronology`` with what happened in Spanish (from each event's code) and
        the parties lettergen names itself ("the health plan") in Spanish; the case's
        own words (``detail``, names) stay as the case gives them."""
        fallback = {"the health plan": "el plan de salud",
                    "a collection agency": "una agencia de cobro", "other": "otro"}
        return [{**event, "what": CHRONOLOGY_ES.get(event["event"], event["what"]),
                 "who": fallback.get(event["who"], event["who"])}
                for event in self.chronology]


# What happened, by ``chronology`` event code.
CHRONOLOGY_ES = {
    "care": "Atención recibida",
    "first-bill": "Primera factura enviada",
    "eob": "Explicación de Beneficios (EOB) emitida",
    "eob-responsibility": "Explicación de Beneficios (EOB) emitida; parte del paciente:",
    "denial": "Reclamación denegada",
    "denial-upheld": "Denegación confirmada en apelación",
    "appeal-filed": "Apelación presentada",
    "statement": "Estado de cuenta enviado",
    "statement-due": "Estado de cuenta enviado; cantidad por pagar:",
    "collection-notice": "Primer aviso de cobro recibido",
    "credit-reported": "Cuenta en cobro reportada por primera vez a una agencia de informes "
                       "de crédito",
    "call": "Llamada", "letter": "Carta", "fax": "Fax", "portal": "Mensaje por el portal",
    "email": "Correo electrónico", "visit": "Visita",
}
