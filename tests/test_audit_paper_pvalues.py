"""p-values linked to comparison tables, recomputed from summaries and from statistics."""

from __future__ import annotations

from audit.paper_pvalues import check_pvalues, comparison_columns, p_agree
from schemas import PValue, Statistic
from tests.test_audit_paper_fixtures import Doc, covers


def table5(doc: Doc, p_before: str = "0.345*", footnotes: tuple[str, ...] = ()) -> None:
    doc.table(
        "Table 5", "IL-2 and TNF-α by response",
        [["Before therapy", "4 mo after therapy"], ["Group", "IL-2 (ng/mL)", "TNF-α (ng/mL)", "IL-2 (ng/mL)", "TNF-α (ng/mL)"]],
        [
            ["Responders (n = 33)", "2.91 ± 0.56", "2.78 ± 0.37", "4.58 ± 1.14", "1.24 ± 0.55"],
            ["Nonresponders (n = 9)", "2.72 ± 0.54", "2.73 ± 0.45", "2.48 ± 1.16", "2.41 ± 0.58"],
            ["P", p_before, "0.745*", "<0.001", "<0.001"],
        ],
        footnotes,
    )  # fmt: skip


SENTENCE = (
    "The differences in serum IL-2 and TNF-a concentrations between responders and non-\nresponders were "
    "not obvious before therapy (P = {a} and {b}, respectively) but became significant after therapy "
    "(P < 0.001)."
)


def narrative(doc: Doc, a: str, b: str) -> None:
    start, _ = doc.add(SENTENCE.format(a=a, b=b))
    doc.entity(PValue, f"P = {a}", after=start, operator="=", value=float(a), decimals=3)
    doc.entity(
        PValue, b, after=doc.text.index(" and ", start + 120), operator="=", value=float(b), decimals=3
    )
    doc.entity(PValue, "P < 0.001", after=start, operator="<", value=0.001, decimals=3)


def test_table_p_values_recomputed_from_the_table() -> None:
    doc = Doc()
    table5(doc)
    cols = comparison_columns(doc.paper())
    assert len(cols) == 4
    found = check_pvalues(doc.paper())
    assert [f.status for f in found] == ["consistent"] * 4


def test_table_p_that_the_summaries_cannot_give() -> None:
    doc = Doc()
    table5(doc, p_before="0.021")
    found = check_pvalues(doc.paper())
    assert [f.status for f in found][0] == "inconsistent" and covers(doc, found[0], "0.021")


def test_a_marked_table_p_quotes_its_footnote() -> None:
    # "0.021*" with "*P < 0.001": the cell reads as printed, and the footnote it points to is evidence
    doc = Doc()
    table5(doc, p_before="0.021*", footnotes=("*P < 0.001 vs. responders.", "Values are mean ± SD."))
    found = check_pvalues(doc.paper())
    assert found[0].status == "inconsistent" and covers(doc, found[0], "*P < 0.001 vs. responders.")
    assert "refers to '*P < 0.001 vs. responders.'" in found[0].message
    assert not covers(doc, found[0], "Values are mean")


def test_narrative_p_values_differ_from_the_table() -> None:
    doc = Doc()
    table5(doc)
    narrative(doc, "0.519", "0.178")
    found = [f for f in check_pvalues(doc.paper()) if f.check == "narrative_vs_table"]
    bad = [f for f in found if f.status == "inconsistent"]
    assert len(found) == 4 and len(bad) == 2
    assert "0.345" in bad[0].message and "0.519" in bad[0].message and covers(doc, bad[0], "P = 0.519")
    recomputed = [
        f
        for f in check_pvalues(doc.paper())
        if f.check == "p_from_summary_stats" and f.status == "inconsistent"
    ]
    assert len(recomputed) == 2


def test_narrative_p_values_that_agree() -> None:
    doc = Doc()
    table5(doc)
    narrative(doc, "0.345", "0.745")
    assert all(f.status == "consistent" for f in check_pvalues(doc.paper()))


def test_sentence_naming_neither_group_is_not_linked() -> None:
    doc = Doc()
    table5(doc)
    start, _ = doc.add("IL-2 was measured before therapy (P = 0.519).")
    doc.entity(PValue, "P = 0.519", after=start, operator="=", value=0.519, decimals=3)
    assert all(
        f.check == "p_from_summary_stats" and "Table 5 (" in f.message for f in check_pvalues(doc.paper())
    )


def test_within_group_change_is_bounded_over_the_correlation() -> None:
    doc = Doc()
    table5(doc)
    start, _ = doc.add(
        "No significant changes in IL-2 and TNF-α were observed in nonresponders (P = 0.565 and 0.980, respectively)."
    )
    doc.entity(PValue, "P = 0.565", after=start, operator="=", value=0.565, decimals=3)
    doc.entity(PValue, "0.980", after=start, operator="=", value=0.98, decimals=3)
    paired = [f for f in check_pvalues(doc.paper()) if "paired" in f.message]
    assert [f.status for f in paired] == ["consistent", "inconsistent"] and all(f.uncertain for f in paired)


def test_p_agree() -> None:
    assert p_agree("=", 0.345, 3, "=", 0.35, 2)
    assert not p_agree("=", 0.519, 3, "=", 0.345, 3)
    assert p_agree("<", 0.05, 2, "<", 0.001, 3)
    assert p_agree("=", 0.0004, 4, "<", 0.001, 3)
    assert not p_agree(">", 0.05, 2, "<", 0.001, 3)


def test_statistic_with_its_p_value() -> None:
    doc = Doc()
    start, _ = doc.add("Scores differed, t(28) = 2.20, p = .04, and again t(28) = 2.20, p = .30.")
    doc.entity(Statistic, "t(28) = 2.20", after=start, test="t", value=2.2, df=[28], decimals=2)
    doc.entity(PValue, "p = .04", after=start, operator="=", value=0.04, decimals=2)
    second = doc.text.index("again")
    doc.entity(Statistic, "t(28) = 2.20", after=second, test="t", value=2.2, df=[28], decimals=2)
    doc.entity(PValue, "p = .30", after=second, operator="=", value=0.3, decimals=2)
    found = check_pvalues(doc.paper())
    assert [(f.check, f.status, f.severity) for f in found] == [
        ("p_from_statistic", "consistent", "info"),
        ("p_from_statistic", "inconsistent", "major"),
    ]


def test_p_inside_the_statistic_span_wins_over_the_next_p() -> None:
    doc = Doc()
    start, _ = doc.add(
        "Intention differed, F(1, 1397) = 5.73, p = .017, and later p = .045 for the other outcome."
    )
    doc.entity(
        Statistic, "F(1, 1397) = 5.73, p = .017", after=start, test="F", value=5.73, df=[1, 1397], decimals=2
    )
    doc.entity(PValue, "p = .045", after=start, operator="=", value=0.045, decimals=3)
    [f] = check_pvalues(doc.paper())
    assert f.status == "consistent"


def test_survival_p_value_restated_differently() -> None:
    doc = Doc()
    s1, e1 = doc.add(
        "Overall, progression-free and event-free survival were higher with therapy "
        "(P = 0.019, P = 0.024, and P = 0.019, respectively)."
    )
    doc.section("abstract", (s1, e1 + 1))
    for q, v in (("P = 0.019", 0.019), ("P = 0.024", 0.024)):
        doc.entity(PValue, q, after=s1, operator="=", value=v, decimals=3)
    doc.entity(PValue, "P = 0.019", after=doc.text.index("and P", s1), operator="=", value=0.019, decimals=3)
    s2, _ = doc.add("The cumulative progression-free survival rate was higher with therapy (P = 0.042).")
    doc.section("results", (s2, s2 + 90))
    doc.entity(PValue, "P = 0.042", after=s2, operator="=", value=0.042, decimals=3)
    s3, _ = doc.add("The overall survival rate at 3 mo was higher with therapy (P = 0.20).")
    doc.entity(PValue, "P = 0.20", after=s3, operator="=", value=0.2, decimals=2)
    found = [f for f in check_pvalues(doc.paper()) if f.check == "narrative_vs_narrative"]
    # progression-free: 0.024 vs 0.042; overall at 3 mo is another test (a time point), not linked
    assert [f.status for f in found] == ["inconsistent"] and covers(doc, found[0], "P = 0.042")


def test_two_discussion_passages_are_not_restatements() -> None:
    doc = Doc()
    s1, _ = doc.add("One trial found no difference in overall survival (P = 0.19).")
    doc.entity(PValue, "P = 0.19", after=s1, operator="=", value=0.19, decimals=2)
    s2, _ = doc.add("Another trial improved overall survival (P = 0.0008).")
    doc.entity(PValue, "P = 0.0008", after=s2, operator="=", value=0.0008, decimals=4)
    doc.section("discussion", (s1, len(doc.text)))
    assert [f for f in check_pvalues(doc.paper()) if f.check == "narrative_vs_narrative"] == []
