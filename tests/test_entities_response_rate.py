"""response_rate entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext


def rates(nlp, text: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == "response_rate"]


def test_n_of_n_with_percent(nlp):
    (r,) = rates(nlp, "Results: The response rate was 27 of 40 (68%).")
    assert (r.numerator, r.denominator, r.percent, r.outcome) == (27, 40, 68, "response")
    assert r.text == "27 of 40 (68%)"


def test_percent_before_rate_phrase(nlp):
    (r,) = rates(nlp, "The 68% response rate we found for 153Sm-EDTMP is similar to others.")
    assert (r.numerator, r.denominator, r.percent) == (None, None, 68)


def test_denominator_inferred_from_group_size_and_percent(nlp):
    text = (
        "Treatment was effective in 11 of 19 patients of group B (58% of group B). "
        "Six of these 11 patients (32% of group B) improved clinically."
    )
    found = rates(nlp, text)
    assert [(r.numerator, r.denominator, r.percent) for r in found] == [(11, 19, 58), (6, 19, 32)]


def test_objective_regressions_not_observed_is_zero_of_trial(nlp):
    text = (
        "Twenty-six patients were treated. Objective tumor regressions were not observed during this trial."
    )
    (r,) = rates(nlp, text)
    assert (r.numerator, r.denominator) == (0, 26)
    assert r.text == "Objective tumor regressions were not observed"


def test_percent_list_of_outcomes(nlp):
    text = "There was a clinical response in 38% of treated patients and tumor stabilization in 64%."
    assert [r.percent for r in rates(nlp, text)] == [38, 64]


def test_toxicity_counts_are_not_responses(nlp):
    text = "Renal toxicity occurred in 2 of 7 patients who received 30 GBq."
    assert rates(nlp, text) == []


def test_share_of_things_is_not_a_response_rate(nlp):
    text = "In 11 of 13 foci in South America, transmission decreased after treatment."
    assert rates(nlp, text) == []
