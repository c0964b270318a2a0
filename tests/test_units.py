"""Units: pint registry, printed units taken apart, doses normalised to the guideline's base units."""

from __future__ import annotations

import pytest

from extractors.units import UnitSettings, build_registry, normalize_dose, parse_unit, schedule_basis

MIU = {"mIU": "million International Units"}


def test_registry_knows_iu_activity_and_m2():
    reg = build_registry()
    assert reg.Quantity(1, "MIU").to("IU").magnitude == pytest.approx(1e6)
    assert reg.Quantity(1, "mCi").to("MBq").magnitude == pytest.approx(37.0)
    assert str(reg.Quantity(1, "mg/m2").units) == "milligram / meter ** 2"
    assert reg.Quantity(1, "mcg").to("mg").magnitude == pytest.approx(1e-3)


def test_paper_defined_miu_is_million_iu_per_m2_per_day():
    n = normalize_dose(2, None, "mIU/m2", MIU, "daily")
    assert (n.value, n.value_high, n.unit) == (2_000_000, None, "IU/m2/day")


def test_unit_with_its_own_definition_in_parentheses():
    n = normalize_dose(0.5, 2.5, "million International Units (mIU)/m2", MIU, "daily for 60 days")
    assert (n.value, n.value_high, n.unit) == (500_000, 2_500_000, "IU/m2/day")


def test_undefined_miu_is_pint_milli_iu():
    assert normalize_dose(2, None, "mIU/m2").value == pytest.approx(0.002)


def test_million_iu_per_day():
    assert normalize_dose(9, None, "million IU/day").model_dump() == {
        "value": 9_000_000,
        "value_high": None,
        "unit": "IU/day",
    }


def test_several_doses_a_day_are_per_dose_amounts_without_a_suffix():
    # how often an amount is repeated is the schedule's business, not the unit's
    assert normalize_dose(600_000, None, "IU/kg", {}, "every 8 hours").unit == "IU/kg"
    assert normalize_dose(500, None, "mg", {}, "twice daily").unit == "mg"
    assert normalize_dose(2, None, "g", {}, "four times daily").model_dump() == {
        "value": 2000,
        "value_high": None,
        "unit": "mg",
    }


def test_radioactivity_in_mbq():
    assert normalize_dose(5, None, "mCi").model_dump() == {"value": 185, "value_high": None, "unit": "MBq"}
    assert normalize_dose(3.7, 7.4, "GBq", {}, "3 monthly administrations").model_dump() == {
        "value": 3700,
        "value_high": 7400,
        "unit": "MBq",
    }
    assert normalize_dose(185, None, "MBq", {}, "single dose").unit == "MBq"
    assert normalize_dose(50, None, "kBq/kg").model_dump() == {
        "value": 0.05,
        "value_high": None,
        "unit": "MBq/kg",
    }


def test_mass_in_mg_per_weight_kept():
    for unit in ("mcg/kg", "ug/kg", "µg/kg", "μg/kg"):
        assert normalize_dose(0.5, None, unit, {}, "once/week").model_dump() == {
            "value": 0.0005,
            "value_high": None,
            "unit": "mg/kg",
        }
    assert normalize_dose(1, None, "g").value == 1000
    assert normalize_dose(150, None, "ng/kg/min").model_dump() == {
        "value": 0.00015,
        "value_high": None,
        "unit": "mg/kg/min",
    }


def test_volumes_in_ml():
    assert normalize_dose(1, None, "L").model_dump() == {"value": 1000, "value_high": None, "unit": "mL"}
    assert normalize_dose(10, None, "ml").unit == "mL"


def test_exponent_notation_for_per():
    assert normalize_dose(2.5, None, "mg·kg−1·day−1").unit == "mg/kg/day"
    assert normalize_dose(1.2, None, "g.kg-1.h-1").model_dump() == {
        "value": 1200,
        "value_high": None,
        "unit": "mg/kg/h",
    }


def test_concentrations_are_not_dose_units():
    assert parse_unit("ng/mL") is None
    assert parse_unit("IU/ml") is None
    assert normalize_dose(2.3, None, "pM") is None


def test_parse_unit_parts():
    parts = parse_unit("mg/m2/day")
    assert (parts.factor, parts.amount, parts.per, parts.per_time) == (1.0, "mg", ("m2",), "day")


def test_schedule_basis():
    assert schedule_basis("daily") == "/day"
    assert schedule_basis("once a day") == "/day"
    assert schedule_basis("every 8 hours") == ""
    assert schedule_basis("twice daily") == ""
    assert schedule_basis("3 monthly administrations") == ""
    assert schedule_basis("once/week") == ""
    assert schedule_basis(None) == ""


def test_settings_validate():
    with pytest.raises(ValueError):
        UnitSettings(mass_unit="MBq")
    with pytest.raises(ValueError):
        UnitSettings(activity_unit="mg")
    assert UnitSettings.resolve({"mass_unit": "g"}).mass_unit == "g"
    assert normalize_dose(500, None, "mg", settings={"mass_unit": "g"}).model_dump() == {
        "value": 0.5,
        "value_high": None,
        "unit": "g",
    }
