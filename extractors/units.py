"""Dose units: read a unit as printed ("million International Units (mIU)/m2", "mcg/kg", "GBq") and
normalise the amount with pint to the contract's base units.

Base units (see the annotation guidelines): radioactivity in MBq (Ci, GBq, kBq converted), mass in mg
(g, µg, ng converted), international units in IU, volumes in mL. What the amount is *per* is kept:
per kg, per m², per minute/hour, and `/day` when the unit or the dose's schedule says the amount is a
daily one. Count words are expanded ("3 million IU" -> 3e6 IU; a paper that defines `mIU` as "million
International Units" means 1e6 IU, not pint's milli-IU). How often a non-daily amount is repeated
(every 8 hours, monthly, a series of administrations) is the dose's `schedule`, not part of its unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

from schemas.records import Normalized

__all__ = [
    "DEFAULT_ACTIVITY_UNIT",
    "DEFAULT_MASS_UNIT",
    "DEFAULT_VOLUME_UNIT",
    "UnitSettings",
    "UnitParts",
    "build_registry",
    "parse_unit",
    "normalize_dose",
    "schedule_basis",
    "PAT_DOSE_UNIT",
]

DEFAULT_ACTIVITY_UNIT = "MBq"
DEFAULT_MASS_UNIT = "mg"
DEFAULT_VOLUME_UNIT = "mL"

# Count words in front of a unit ("3 million IU").
COUNT_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
# International units, as printed.
PAT_IU = re.compile(r"^(?:international\s+units?|i\.?u\.?|units?|u)$", re.IGNORECASE)
# pint's "MIU" would be mega-IU, which is what a printed "MIU" means too; "MU" is "million units".
PAT_MEGA_UNITS = re.compile(r"^(?:MIU|MU|M\.?I\.?U\.?)$")
# Micrograms printed every which way.
PAT_MICRO = re.compile(r"^(?:mcg|ug|μg|µg)$")
# Denominators that describe what the amount is per.
PER_WEIGHT = re.compile(r"^(?:kg|kilogram)$", re.IGNORECASE)
PER_AREA = re.compile(r"^(?:m2|m²|m\^2|m\*\*2|sq\.?\s*m|square\s+met(?:er|re)s?)$", re.IGNORECASE)
PER_DAY = re.compile(r"^(?:d|day|daily|24\s*h)$", re.IGNORECASE)
PER_WEEK = re.compile(r"^(?:wk|week|weekly)$", re.IGNORECASE)
PER_HOUR = re.compile(r"^(?:h|hr|hour)$", re.IGNORECASE)
PER_MINUTE = re.compile(r"^(?:min|minute)$", re.IGNORECASE)
PER_DOSE = re.compile(r"^(?:dose|administration|injection|cycle|course)$", re.IGNORECASE)
# Exponent notation for "per": "mg·kg−1·day−1", "g.kg-1.h-1" read as "mg/kg/day".
PAT_PER_EXPONENT = re.compile(r"\s*[·.⋅]?\s*(?P<per>kg|m2|day|d|h|min)\s?[−\-–]\s?1\b")
# A parenthetical abbreviation printed inside the unit ("million International Units (mIU)/m2").
PAT_UNIT_PAREN = re.compile(r"\s*\(\s*(?P<abbr>[A-Za-zµμ.]{1,8})\s*\)")
# Schedules that make the printed amount a daily amount ("40 mg daily", "once a day").
PAT_SCHEDULE_DAILY = re.compile(
    r"\b(?:(?:once\s+)?daily|every\s+day|each\s+day|per\s+day|(?:once\s+)?a\s+day|/\s*d(?:ay)?\b|qd|o\.?d\.?)\b",
    re.I,
)
# Several administrations a day: the printed amount is one dose of them, not the daily total
# ("100 mg twice daily", "2 g four times daily", "every 8 hours", "b.i.d."). Such an amount is not /day.
PAT_SCHEDULE_PER_DOSE = re.compile(
    r"\b(?:every\s+\d+\s*(?:h|hr|hrs|hours?)|q\s?\d+\s?h|(?:twice|thrice|\w+\s+times)\s+(?:daily|a\s+day|per\s+day)"
    r"|b\.?i\.?d|t\.?i\.?d|q\.?i\.?d)\b",
    re.I,
)

# The units a dose may be printed in (amount part only); used by the dose and MTD components.
PAT_DOSE_UNIT = (
    r"(?:(?:thousand|million|billion)\s+)?"
    r"(?:[Ii]nternational\s+[Uu]nits?(?:\s*\((?:m|M)?IU\))?|MBq|GBq|kBq|TBq|mCi|µCi|μCi|Ci|MIU|mIU|IU|MU"
    r"|mg|µg|μg|mcg|ug|ng|g|U|units?|mL|ml|L)"
)


@dataclass(frozen=True)
class UnitSettings:
    activity_unit: str = DEFAULT_ACTIVITY_UNIT
    mass_unit: str = DEFAULT_MASS_UNIT

    def __post_init__(self) -> None:
        reg = build_registry()
        if not reg(self.activity_unit).check("[activity]") and not reg(self.activity_unit).check("1/[time]"):
            raise ValueError(f"activity_unit {self.activity_unit!r} is not a radioactivity unit")
        if not reg(self.mass_unit).check("[mass]"):
            raise ValueError(f"mass_unit {self.mass_unit!r} is not a mass unit")

    @classmethod
    def resolve(cls, value: UnitSettings | Mapping[str, Any] | None) -> UnitSettings:
        if value is None:
            return cls()
        if isinstance(value, UnitSettings):
            return value
        return cls(**dict(value))


def _preprocess(text: str) -> str:
    # pint reads "m2" as a unit named m2; papers mean square metres.
    text = re.sub(r"\bm(?:2|²)\b", "m**2", text)
    return text.replace("µ", "u").replace("μ", "u").replace("mcg", "ug")


@lru_cache(maxsize=1)
def build_registry() -> pint.UnitRegistry[Any]:
    """A pint registry that also knows international units (IU) and reads `m2`, `mcg`, `µg`."""
    reg: pint.UnitRegistry[Any] = pint.UnitRegistry(preprocessors=[_preprocess])
    reg.define("international_unit = [biological_activity] = IU")
    return reg


@dataclass(frozen=True)
class UnitParts:
    """A printed unit taken apart: `factor` x `amount` per `per` (kg, m2) per `per_time` (day)."""

    factor: float
    amount: str  # canonical spelling: "IU", "MBq", "GBq", "mCi", "mg", "µg", "L"
    per: tuple[str, ...] = ()
    per_time: str | None = None


def _expand_abbreviations(unit: str, abbreviations: Mapping[str, str]) -> str:
    # "million International Units (mIU)/m2": the parenthesis only names the unit; drop it.
    unit = PAT_UNIT_PAREN.sub("", unit)
    # A unit token the paper defined ("mIU" = "million International Units") is read as defined.
    tokens = re.split(r"(\s+|/)", unit)
    out = []
    for tok in tokens:
        long = abbreviations.get(tok)
        if long and re.search(r"\b(?:units?|grams?|million|thousand|curies?|becquerels?)\b", long, re.I):
            out.append(long)
        else:
            out.append(tok)
    return "".join(out)


def _canonical_amount(word: str) -> tuple[float, str] | None:
    w = word.strip().rstrip(".")
    if PAT_MEGA_UNITS.match(w):
        return 1e6, "IU"
    if PAT_IU.match(w):
        return 1.0, "IU"
    if w == "mIU":  # pint's reading: milli-IU (a paper's own definition was expanded before)
        return 1e-3, "IU"
    if PAT_MICRO.match(w):
        return 1.0, "µg"
    if w.lower() in {"ml"}:
        return 1.0, "mL"
    if w in {"L", "l", "liter", "litre"}:
        return 1.0, "L"
    reg = build_registry()
    try:
        unit = reg.Unit(_preprocess(w))
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
    ):
        return None
    # A dose is a mass, a radioactivity or a volume; molar and other concentrations ("pM") are not.
    q = reg.Quantity(1.0, unit)
    if not (q.check("[mass]") or q.check("1/[time]") or q.check("[length]**3")):
        return None
    return 1.0, w


def parse_unit(unit_as_written: str, abbreviations: Mapping[str, str] | None = None) -> UnitParts | None:
    """Take a printed dose unit apart; `None` when it is not a unit we know."""
    text = _expand_abbreviations(unit_as_written.strip(), abbreviations or {})
    text = PAT_PER_EXPONENT.sub(lambda m: "/" + m["per"], text)
    parts = re.split(r"\s*/\s*|\s+per\s+", text)
    amount = parts[0].strip()
    factor = 1.0
    m = re.match(r"(?P<count>thousand|million|billion)\s+(?P<rest>.+)$", amount, re.IGNORECASE)
    if m:
        factor = COUNT_WORDS[m["count"].lower()]
        amount = m["rest"]
    canon = _canonical_amount(amount)
    if canon is None:
        return None
    factor *= canon[0]
    per: list[str] = []
    per_time: str | None = None
    for raw in parts[1:]:
        p = raw.strip()
        if PER_WEIGHT.match(p):
            per.append("kg")
        elif PER_AREA.match(p):
            per.append("m2")
        elif PER_DAY.match(p):
            per_time = "day"
        elif PER_WEEK.match(p):
            per_time = "week"
        elif PER_HOUR.match(p):
            per_time = "h"
        elif PER_MINUTE.match(p):
            per_time = "min"
        elif PER_DOSE.match(p):
            continue
        else:
            return None
    return UnitParts(factor=factor, amount=canon[1], per=tuple(per), per_time=per_time)


def schedule_basis(schedule: str | None) -> str:
    """ "/day" when the schedule makes the printed amount a daily amount, else ""."""
    if not schedule or PAT_SCHEDULE_PER_DOSE.search(schedule):
        return ""
    return "/day" if PAT_SCHEDULE_DAILY.search(schedule) else ""


def _convert_amount(amount: str, settings: UnitSettings) -> tuple[float, str]:
    """(multiplier, target unit) taking one `amount` unit to its base unit."""
    reg = build_registry()
    if amount == "IU":
        return 1.0, amount
    if amount == "mL":
        return 1.0, DEFAULT_VOLUME_UNIT
    if amount == "L":
        return 1000.0, DEFAULT_VOLUME_UNIT
    unit = reg.Unit(_preprocess(amount))
    q = reg.Quantity(1.0, unit)
    if q.check("1/[time]") or "curie" in str(unit) or "becquerel" in str(unit):
        return float(q.to(settings.activity_unit).magnitude), settings.activity_unit
    if q.check("[mass]"):
        return float(q.to(settings.mass_unit).magnitude), settings.mass_unit
    return 1.0, amount


def normalize_dose(
    value: float,
    value_high: float | None,
    unit_as_written: str,
    abbreviations: Mapping[str, str] | None = None,
    schedule: str | None = None,
    settings: UnitSettings | Mapping[str, Any] | None = None,
) -> Normalized | None:
    """The dose in base units (MBq, mg, IU, mL; per kg/m² kept), or `None` when the unit cannot be read.

    >>> normalize_dose(1.25, None, "mIU/m2", {"mIU": "million International Units"}, "daily").unit
    'IU/m2/day'
    """
    settings = UnitSettings.resolve(settings)
    parts = parse_unit(unit_as_written, abbreviations)
    if parts is None:
        return None
    mult, target = _convert_amount(parts.amount, settings)
    mult *= parts.factor
    unit = target + "".join(f"/{p}" for p in parts.per)
    if parts.per_time:
        unit += f"/{parts.per_time}"
    else:
        unit += schedule_basis(schedule)

    def scale(x: float | None) -> float | None:
        if x is None:
            return None
        y = float(f"{x * mult:.12g}")  # 150 ng -> 0.00015 mg, not 0.00015000000000000001
        return float(round(y)) if abs(y - round(y)) < 1e-6 * max(1.0, abs(y)) else y

    return Normalized(value=scale(value), value_high=scale(value_high), unit=unit)
