"""Registers the entity components with spaCy (`nlp.add_pipe("evidence_<kind>")`)."""

from __future__ import annotations

from spacy.language import Language

from extractors.entities.cohort import CohortComponent
from extractors.entities.dose import DoseComponent
from extractors.entities.mtd import MtdComponent
from extractors.entities.p_value import PValueComponent
from extractors.entities.response_rate import ResponseRateComponent
from extractors.entities.statistic import StatisticComponent
from extractors.entities.summary_stat import SummaryStatComponent
from extractors.entities.toxicity import ToxicityComponent


@Language.factory("evidence_cohort", assigns=["doc.spans"])
def make_cohort(nlp: Language, name: str) -> CohortComponent:
    return CohortComponent(nlp, name)


@Language.factory("evidence_dose", assigns=["doc.spans"])
def make_dose(nlp: Language, name: str) -> DoseComponent:
    return DoseComponent(nlp, name)


@Language.factory("evidence_response_rate", assigns=["doc.spans"])
def make_response_rate(nlp: Language, name: str) -> ResponseRateComponent:
    return ResponseRateComponent(nlp, name)


@Language.factory("evidence_toxicity", assigns=["doc.spans"])
def make_toxicity(nlp: Language, name: str) -> ToxicityComponent:
    return ToxicityComponent(nlp, name)


@Language.factory("evidence_mtd", assigns=["doc.spans"])
def make_mtd(nlp: Language, name: str) -> MtdComponent:
    return MtdComponent(nlp, name)


@Language.factory("evidence_p_value", assigns=["doc.spans"])
def make_p_value(nlp: Language, name: str) -> PValueComponent:
    return PValueComponent(nlp, name)


@Language.factory("evidence_statistic", assigns=["doc.spans"])
def make_statistic(nlp: Language, name: str) -> StatisticComponent:
    return StatisticComponent(nlp, name)


@Language.factory("evidence_summary_stat", assigns=["doc.spans"])
def make_summary_stat(nlp: Language, name: str) -> SummaryStatComponent:
    return SummaryStatComponent(nlp, name)
