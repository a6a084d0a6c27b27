"""The case fields added for the QMB billing ban, Medicare's limitation on liability and
case management: declared once in casefields, so the loader reads them and
`lettergen schema` publishes them."""

from __future__ import annotations

import json

import pytest

from conftest import case_file
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.errors import CaseFileError

NEW_FIELDS = {"insurer.qmb": True, "provider.abn_signed": False,
              "claim.ongoing_treatment": True}


def test_a_case_loads_each_new_field(tmp_path):
    case = load_case(case_file(tmp_path, "mri-medical-necessity", NEW_FIELDS))
    assert case.insurer.qmb is True
    assert case.provider.abn_signed is False
    assert case.claim.ongoing_treatment is True
    absent = load_case(case_file(tmp_path, "mri-medical-necessity", name="absent"))
    assert (absent.insurer.qmb, absent.provider.abn_signed,
            absent.claim.ongoing_treatment) == (None, None, None)


@pytest.mark.parametrize("dotted", sorted(NEW_FIELDS))
def test_a_new_field_takes_only_true_or_false(tmp_path, dotted):
    path = case_file(tmp_path, "mri-medical-necessity", {dotted: "yes"})
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert dotted.split(".")[1] in str(caught.value)


def test_schema_output_has_the_new_fields(capsys):
    assert main(["schema"]) == 0
    props = json.loads(capsys.readouterr().out)["properties"]
    for dotted in NEW_FIELDS:
        table, key = dotted.split(".")
        field = props[table]["properties"][key]
        assert field["type"] == "boolean", dotted
        assert field["description"].startswith("True when"), dotted
    assert "Qualified Medicare Beneficiary" in props["insurer"]["properties"]["qmb"]["description"]
    assert "CMS-R-131" in props["provider"]["properties"]["abn_signed"]["description"]
