"""The clinical extractors on sentences in the styles of papers they were not built from.

Each sentence is written for this file in the manner of trial abstracts and full texts (randomised
trials, anaesthesia, chemotherapy, nuclear medicine, nutrition), with values and spans asserted,
and with negatives: thresholds, measured amounts, survey response rates, outcome counts, time points.
"""

from __future__ import annotations

import pytest

from extractors.entities import extract_entities
from schemas.context import PaperContext


def entities(nlp, text: str, kind: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == kind]


def one(nlp, text: str, kind: str):
    found = entities(nlp, text, kind)
    assert len(found) == 1, [(e.text, e.model_dump(exclude={"start", "end", "section"})) for e in found]
    return found[0]


# ---------------------------------------------------------------- dose: agents beyond a lexicon


@pytest.mark.parametrize(
    ("text", "span", "agent", "value", "unit", "normalized"),
    [
        # "Y X mg" with an INN stem the lexicon does not list
        ("Patients took sotorasib 960 mg once daily.", "960 mg", "sotorasib", 960, "mg", (960, "mg/day")),
        # "X mg/kg Y"
        ("Induction used 2.5 mg/kg propofol.", "2.5 mg/kg", "propofol", 2.5, "mg/kg", (2.5, "mg/kg")),
        # "X mg of Y"
        ("Each child received 250 mg of azithromycin.", "250 mg", "azithromycin", 250, "mg", (250, "mg")),
        # "Y (X mg)"
        ("Arm B was given nivolumab (240 mg) every 2 weeks.", "240 mg", "nivolumab", 240, "mg", (240, "mg")),
        # "Y at a dose of X"
        (
            "Dexmedetomidine at a dose of 0.5 µg/kg was infused over 10 min.",
            "0.5 µg/kg",
            "dexmedetomidine",
            0.5,
            "µg/kg",
            (0.0005, "mg/kg"),
        ),
        # isotope-labelled agents: "177Lu-", "[18F]", "99mTc-"
        (
            "Patients received 7.4 GBq of 177Lu-PSMA-617 per cycle.",
            "7.4 GBq",
            "177Lu-PSMA-617",
            7.4,
            "GBq",
            (7400, "MBq"),
        ),
        (
            "A dose of 370 MBq [18F]FDG was injected before imaging.",
            "370 MBq",
            "[18F]FDG",
            370,
            "MBq",
            (370, "MBq"),
        ),
        # a salt written out
        (
            "Magnesium sulfate 4 g was infused over 20 minutes.",
            "4 g",
            "magnesium sulfate",
            4,
            "g",
            (4000, "mg"),
        ),
        # several doses a day: the amount is per dose, not per day
        ("Metformin 500 mg twice daily was added.", "500 mg", "metformin", 500, "mg", (500, "mg")),
        # a per-kg per-day amount printed with exponents
        (
            "Caffeine was ingested at 3 mg·kg−1·day−1 for a week.",
            "3 mg·kg−1·day−1",
            "caffeine",
            3,
            None,
            (3, "mg/kg/day"),
        ),
        # million units per day
        (
            "Interferon alfa was given at 5 million IU/day.",
            "5 million IU/day",
            "interferon alfa",
            5,
            None,
            (5e6, "IU/day"),
        ),
    ],
)
def test_dose_agent_value_and_base_units(nlp, text, span, agent, value, unit, normalized):
    d = one(nlp, text, "dose")
    assert d.text == span
    assert text[d.start : d.end] == span
    assert (d.agent or "").lower() == agent.lower()
    assert d.value == pytest.approx(value)
    if unit is not None:
        assert d.unit == unit
    assert d.normalized.value == pytest.approx(normalized[0])
    assert d.normalized.unit == normalized[1]


def test_listed_doses_with_the_agent_before(nlp):
    text = "Patients were randomized to placebo or tofacitinib 5, 10 or 15 mg."
    found = entities(nlp, text, "dose")
    assert [(d.value, d.agent) for d in found] == [
        (5, "tofacitinib"),
        (10, "tofacitinib"),
        (15, "tofacitinib"),
    ]


def test_placebo_is_never_the_agent_of_an_amount(nlp):
    text = "Participants were assigned to placebo or dapagliflozin 10 mg once daily."
    d = one(nlp, text, "dose")
    assert (d.agent, d.normalized.unit) == ("dapagliflozin", "mg/day")


def test_daily_schedule_read_from_the_dose_clause_only(nlp):
    text = "Patients received omeprazole 40 mg daily, or 20 mg twice daily in the second arm."
    first, second = entities(nlp, text, "dose")
    assert (first.value, first.normalized.unit) == (40, "mg/day")
    assert (second.value, second.normalized.unit) == (20, "mg")


@pytest.mark.parametrize(
    "text",
    [
        "The LD50 in rats was > 5 g/kg body weight.",  # a toxicology threshold
        "Low-dose infusion was defined as a rate of ≤ 10 µg/kg/min.",  # a definition, not an amount given
        "Plasma concentrations reached 12 mg/L at 2 h.",  # a concentration
        "The vibration platform produced an acceleration of 2.5 g at 30 Hz.",  # g as gravity
        "Mean daily intake of calcium was 850 mg in both groups.",  # a measured intake
        "Participants wore shoes weighing 250 g during the walking test.",  # a weight of a thing
        "Liver iron content was 1.2 mg/kg versus 3.4 mg/kg.",  # a measured content
    ],
)
def test_not_doses(nlp, text):
    assert entities(nlp, text, "dose") == []


def test_cumulative_amount_received_with_a_sign_is_a_dose(nlp):
    d = one(nlp, "Nine patients who received ≥ 30 GBq of 177Lu-DOTATATE were analysed.", "dose")
    assert (d.value, d.normalized.value, d.normalized.unit) == (30, 30000, "MBq")


# ---------------------------------------------------------------- cohort


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A total of 312 participants were randomised.", [312]),
        ("Of the 250 participants enrolled, 238 completed the trial.", [250, 238]),
        ("Women were allocated to exercise (n = 45) or usual care (n = 47).", [45, 47]),
        ("The per-protocol population comprised 120 patients (n=120).", [120]),
        ("In total, 497 were randomised (251 intervention and 246 control).", [497, 251, 246]),
        ("Of 180 randomized, 9 withdrew consent.", [180, 9]),
        ("Sixty-four children aged 2 to 5 years were included.", [64]),
        ("Of these, 412 (55%) were allocated to the intervention.", [412]),
    ],
)
def test_cohort_sizes(nlp, text, expected):
    assert sorted(c.n for c in entities(nlp, text, "cohort")) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Herpes zoster occurred in three patients.",  # people with an event
        "Patients were followed for 24 months after surgery in 2015.",  # durations and years
        "Doses of 50 mg were given at week 16/24 after baseline.",  # a time point, not a fraction of people
        "The scale has 15 items (5 on mood, 5 on sleep and 5 on appetite).",  # items of a scale
        "Hypotony resolved between day one and four among children.",  # a day count
        "Six courses of adjuvant chemotherapy were planned.",  # treatments given, not a group
        "Titres reached a median of 160 in the vaccinated group.",  # a value measured in a group
        "Each clinic was assigned to 1 of 3 conditions.",  # a share of things
        "Data were pooled from two randomized controlled trials.",  # studies, not people
        "Only three patients in the low-dose TAP group required rescue analgesia.",  # an outcome count
    ],
)
def test_not_cohorts(nlp, text):
    assert entities(nlp, text, "cohort") == []


# ---------------------------------------------------------------- response_rate


def test_objective_response_n_of_n_with_percent(nlp):
    r = one(nlp, "An objective response was seen in 12 of 40 patients (30%).", "response_rate")
    assert (r.numerator, r.denominator, r.percent) == (12, 40, 30)
    assert r.text.startswith("12 of 40")


def test_complete_response_rate_percent(nlp):
    r = one(nlp, "The complete response rate was 42% in the combination arm.", "response_rate")
    assert (r.numerator, r.denominator, r.percent) == (None, None, 42)


def test_rate_phrase_with_its_abbreviation(nlp):
    r = one(nlp, "The objective response rate (ORR) was 45% in arm A.", "response_rate")
    assert (r.percent, r.text) == (45, "objective response rate (ORR) was 45%")


def test_effective_in_n_patients_is_an_outcome_count(nlp):
    text = "Treatment was effective in 11 of 21 patients (52%)."
    r = one(nlp, text, "response_rate")
    assert (r.numerator, r.denominator, r.percent) == (11, 21, 52)
    assert [c.n for c in entities(nlp, text, "cohort")] == [21]


def test_remission_count_with_percent(nlp):
    r = one(nlp, "Clinical remission was achieved by 18 patients (36%) at week 8.", "response_rate")
    assert (r.numerator, r.percent) == (18, 36)


@pytest.mark.parametrize(
    "text",
    [
        "The questionnaire response rate was 64% after two reminders.",  # a survey
        "One participant never replied to the text messages, a response rate of 98%.",  # messages
        "Data were missing for 21 patients (15%) with improvement scores at month 6.",  # attrition
        "A retrospective study in 92 patients showed that early therapy improved function.",  # a citation
        "Improvement was scored on 7 of 7 MDA components.",  # things, not people
    ],
)
def test_not_response_rates(nlp, text):
    assert entities(nlp, text, "response_rate") == []


# ---------------------------------------------------------------- toxicity


def test_adverse_events_with_percent_list(nlp):
    text = "The most frequent adverse events were nausea (14%), headache (9.5%) and fatigue (n = 6; 8%)."
    found = entities(nlp, text, "toxicity")
    assert [(t.event, t.count, t.percent) for t in found] == [
        ("nausea", None, 14),
        ("headache", None, 9.5),
        ("fatigue", 6, 8),
    ]
    assert [t.text for t in found] == ["nausea (14%)", "headache (9.5%)", "fatigue (n = 6; 8%)"]


def test_grade_3_event_in_text(nlp):
    t = one(nlp, "Grade 3 neutropenia (12%) was the most common severe event.", "toxicity")
    assert (t.event, t.grade, t.percent, t.text) == ("neutropenia", "3", 12, "Grade 3 neutropenia (12%)")


def test_event_in_n_patients(nlp):
    t = one(nlp, "Rash occurred in 4 patients (6.7%).", "toxicity")
    assert (t.event, t.count, t.percent) == ("rash", 4, 6.7)


def test_n_patients_percent_had_event(nlp):
    t = one(nlp, "Three patients (5%) had a hypersensitivity reaction.", "toxicity")
    assert (t.event, t.count, t.percent) == ("hypersensitivity reaction", 3, 5)


def test_grade_3_or_higher(nlp):
    t = one(nlp, "Grade 3 or higher neutropenia occurred in 10 patients (20%).", "toxicity")
    assert (t.event, t.grade, t.count, t.percent) == ("neutropenia", "≥3", 10, 20)


def test_explicit_zero(nlp):
    t = one(nlp, "No serious adverse events were reported in either arm.", "toxicity")
    assert (t.count, t.percent, t.event) == (0, 0, "serious adverse events")


def test_event_list_compared_between_arms(nlp):
    text = (
        "Grade 3/4 events in the control arm compared with the treatment arm were neutropenia (40% vs. 22%)."
    )
    found = entities(nlp, text, "toxicity")
    assert [(t.event, t.percent) for t in found] == [("neutropenia", 40), ("neutropenia", 22)]


@pytest.mark.parametrize(
    "text",
    [
        "Children presenting with no diarrhoea had better outcomes (RR = 1.3).",  # a baseline trait
        "Efficacy was similar, with no differences in adverse events over 6 months.",  # a comparison
        "A total of 390 diarrhoea episodes were recorded in the cohort.",  # episodes, not people
        "We compared two sedation regimens in the ICU.",  # not an event
        "Table 3 Adverse events in the safety population",  # a table label
        "Aetiology: Pneumonia 12 Sepsis 8 Trauma 5",  # a baseline table row
    ],
)
def test_not_toxicities(nlp, text):
    assert entities(nlp, text, "toxicity") == []


# ---------------------------------------------------------------- mtd


def test_mtd_defined_to_be(nlp):
    m = one(nlp, "The phase I trial defined the MTD to be 40 mg/day.", "mtd")
    assert (m.value, m.unit, m.normalized.unit) == (40, "mg/day", "mg/day")


def test_mtd_with_agent_and_dlt_after(nlp):
    text = "The maximum tolerated dose of irinotecan was 350 mg/m2; DLTs were diarrhea and neutropenia."
    m = one(nlp, text, "mtd")
    assert (m.value, m.agent, m.dose_limiting) == (350, "irinotecan", ["diarrhea", "neutropenia"])
    assert entities(nlp, text, "dose") == []


def test_mtd_not_reached_has_no_value(nlp):
    assert entities(nlp, "The MTD was not reached in this study.", "mtd") == []
