"""response_rate entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext


def rates(nlp, text: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == "response_rate"]


def test_n_of_n_with_percent(nlp):
    (r,) = rates(nlp, "Results: The response rate was 33 of 42 (79%).")
    assert (r.numerator, r.denominator, r.percent, r.outcome) == (33, 42, 79, "response")
    assert r.text == "33 of 42 (79%)"


def test_percent_before_rate_phrase(nlp):
    (r,) = rates(nlp, "The 79% response rate found for 89SrCl2 by our study is similar to others.")
    assert (r.numerator, r.denominator, r.percent) == (None, None, 79)


def test_denominator_inferred_from_group_size_and_percent(nlp):
    text = (
        "Therapy was beneficial in 14 of 19 patients of group A (73% of group A). "
        "Nine of these 14 patients (47% of group A) improved clinically."
    )
    found = rates(nlp, text)
    assert [(r.numerator, r.denominator, r.percent) for r in found] == [(14, 19, 73), (9, 19, 47)]


def test_objective_regressions_not_observed_is_zero_of_trial(nlp):
    text = (
        "Thirty-eight patients were treated. Objective tumor regressions were not observed during this trial."
    )
    (r,) = rates(nlp, text)
    assert (r.numerator, r.denominator) == (0, 38)
    assert r.text == "Objective tumor regressions were not observed"


def test_percent_list_of_outcomes(nlp):
    text = "There was a clinical response in 47% of treated patients and tumor stabilization in 73%."
    assert [r.percent for r in rates(nlp, text)] == [47, 73]


def test_toxicity_counts_are_not_responses(nlp):
    text = "Bone marrow toxicity occurred in 3 of 6 patients who received 100 GBq."
    assert rates(nlp, text) == []


def test_share_of_things_is_not_a_response_rate(nlp):
    text = "In 11 of 13 foci in South America, transmission decreased after treatment."
    assert rates(nlp, text) == []
