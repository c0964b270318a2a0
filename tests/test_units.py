"""Units: pint registry, printed units taken apart, doses normalised to the gold's base units."""

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
    n = normalize_dose(1.25, None, "mIU/m2", MIU, "daily")
    assert (n.value, n.value_high, n.unit) == (1_250_000, None, "IU/m2/day")


def test_unit_with_its_own_definition_in_parentheses():
    n = normalize_dose(
        0.4, 1.75, "million International Units (mIU)/m2", MIU, "daily for 90 consecutive days"
    )
    assert (n.value, n.value_high, n.unit) == (400_000, 1_750_000, "IU/m2/day")


def test_undefined_miu_is_pint_milli_iu():
    assert normalize_dose(1.25, None, "mIU/m2").value == pytest.approx(0.00125)


def test_million_iu_per_day_and_per_kg_every_8_hours():
    assert normalize_dose(3, None, "million IU/day").model_dump() == {
        "value": 3_000_000,
        "value_high": None,
        "unit": "IU/day",
    }
    assert normalize_dose(720_000, None, "IU/kg", {}, "every 8 hours").unit == "IU/kg per dose"


def test_curie_to_mbq_and_bq_prefix_kept():
    assert normalize_dose(4, None, "mCi").model_dump() == {"value": 148, "value_high": None, "unit": "MBq"}
    assert normalize_dose(3.7, 7.4, "GBq", {}, "3 monthly administrations").unit == "GBq per administration"
    assert normalize_dose(148, None, "MBq", {}, "single dose").unit == "MBq"


def test_micrograms_spelled_any_way():
    for unit in ("mcg/kg", "ug/kg", "µg/kg"):
        assert normalize_dose(0.5, None, unit, {}, "once/week").unit == "µg/kg"


def test_base_units_when_prefixes_are_not_kept():
    settings = UnitSettings(keep_metric_prefix=False)
    assert normalize_dose(0.5, None, "mcg/kg", settings=settings).model_dump() == {
        "value": 0.0005,
        "value_high": None,
        "unit": "mg/kg",
    }
    assert normalize_dose(7, None, "GBq", settings=settings).value == pytest.approx(7000)


def test_concentrations_are_not_dose_units():
    assert parse_unit("ng/mL") is None
    assert parse_unit("IU/ml") is None
    assert normalize_dose(2.3, None, "pM") is None


def test_parse_unit_parts():
    parts = parse_unit("mg/m2/day")
    assert (parts.factor, parts.amount, parts.per, parts.per_time) == (1.0, "mg", ("m2",), "day")


def test_schedule_basis():
    assert schedule_basis("every 8 hours") == " per dose"
    assert schedule_basis("daily") == "/day"
    assert schedule_basis("once/week") == ""
    assert schedule_basis(None) == ""


def test_settings_validate():
    with pytest.raises(ValueError):
        UnitSettings(mass_unit="MBq")
    assert UnitSettings.resolve({"keep_metric_prefix": False}).keep_metric_prefix is False


def test_infusion_rate_per_minute():
    assert normalize_dose(150, None, "ng/kg/min").model_dump() == {
        "value": 150,
        "value_high": None,
        "unit": "ng/kg/min",
    }
