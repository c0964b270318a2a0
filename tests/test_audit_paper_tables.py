"""table_vs_table: subgroups against the whole group, same mean twice, per-patient listings."""

from __future__ import annotations

from audit.paper_tables import check_tables, find_listings
from schemas import SummaryStat
from tests.test_audit_paper_fixtures import Doc, covers


def subgroups_and_whole(whole_sd: str, whole_mean: str = "2.87") -> Doc:
    doc = Doc()
    doc.table(
        "Table 3", "All patients over time",
        [["Parameter", "Before therapy", "1 mo"]],
        [["IL-2 (ng/mL)", f"{whole_mean} ± {whole_sd}", "2.98 ± 0.54"]],
    )  # fmt: skip
    doc.table(
        "Table 5", "By response",
        [["Before therapy", "After therapy"], ["Group", "IL-2 (ng/mL)", "IL-2 (ng/mL)"]],
        [["Responders (n = 33)", "2.91 ± 0.56", "4.58 ± 1.14"], ["Nonresponders (n = 9)", "2.72 ± 0.54", "2.48 ± 1.16"]],
    )  # fmt: skip
    return doc


def test_whole_group_sd_below_what_the_subgroups_imply() -> None:
    doc = subgroups_and_whole("0.30")
    bad = [f for f in check_tables(doc.paper()) if f.status == "inconsistent"]
    assert len(bad) == 1 and "0.555" in bad[0].message
    assert covers(doc, bad[0], "2.87 ± 0.30") and covers(doc, bad[0], "2.91 ± 0.56")


def test_whole_group_sd_the_subgroups_allow() -> None:
    doc = subgroups_and_whole("0.55")
    found = [f for f in check_tables(doc.paper()) if f.check == "table_vs_table"]
    assert [f.status for f in found] == ["consistent"]


def test_mean_that_the_subgroups_do_not_give_is_not_linked() -> None:
    doc = subgroups_and_whole("0.30", whole_mean="3.40")
    assert check_tables(doc.paper()) == []


def test_same_mean_different_sd_across_tables() -> None:
    doc = Doc()
    doc.table("Table 2", "Baseline", [["Group", "TNF-α (ng/mL)"]], [["Patients (n = 42)", "2.77 ± 0.31"]])
    doc.table("Table 3", "Over time", [["Parameter", "Before therapy"]], [["TNF-α (ng/mL)", "2.77 ± 0.76"]])
    doc.table("Table 4", "Other", [["Parameter", "Before therapy"]], [["IL-6 (ng/mL)", "2.77 ± 0.50"]])
    found = check_tables(doc.paper())
    assert [f.status for f in found] == ["inconsistent"]
    assert covers(doc, found[0], "2.77 ± 0.31") and covers(doc, found[0], "2.77 ± 0.76")


def listing(ages_a: list[str], summary_a: str, misaligned: bool = False) -> Doc:
    doc = Doc()
    rows = [[str(i + 1), "A", age, "M" if i % 2 else "F", str(3 + i)] for i, age in enumerate(ages_a)]
    rows[-1][0] += "*"
    summary = (
        ["Mean ± SD", summary_a, "—", "—", "—"] if misaligned else ["Mean ± SD", "—", summary_a, "—", "—"]
    )
    doc.table(
        "Table 1", "Patient characteristics",
        [["Patient", "Group", "Age (y)", "Sex", "Interval (y)"]],
        rows + [summary],
        ("*Patient excluded from quantitative analysis.",),
    )  # fmt: skip
    return doc


AGES = ["63", "53", "57", "52", "56", "59", "37"]


def test_listing_detected_with_footnote_exclusion() -> None:
    doc = listing(AGES, "56.7 ± 4.0")
    [lst] = find_listings(doc.paper())
    assert len(lst.ids) == 7 and len(lst.excluded) == 1 and lst.blocks[0].summary == 7


def test_summary_row_matches_without_the_excluded_patient() -> None:
    doc = listing(AGES, "56.7 ± 4.0")  # first six: 56.67 ± 4.03
    [f] = [f for f in check_tables(doc.paper()) if f.check == "table_vs_table"]
    assert f.status == "consistent" and "without the footnote-excluded rows" in f.message


def test_summary_row_that_no_subset_reproduces() -> None:
    doc = listing(AGES, "58.7 ± 4.0")
    [f] = [f for f in check_tables(doc.paper()) if f.check == "table_vs_table"]
    assert f.status == "inconsistent" and f.severity == "major" and covers(doc, f, "58.7 ± 4.0")


def test_summary_row_by_truncation_only_is_minor() -> None:
    doc = listing(AGES, "56.6 ± 4.0")  # 56.67 truncates to 56.6
    [f] = [f for f in check_tables(doc.paper()) if f.check == "table_vs_table"]
    assert f.status == "inconsistent" and f.severity == "minor"


def test_misaligned_summary_cell_goes_to_the_clearly_closest_column() -> None:
    doc = listing(AGES, "56.7 ± 4.0", misaligned=True)
    [f] = [f for f in check_tables(doc.paper()) if f.check == "table_vs_table"]
    assert f.status == "consistent" and f.uncertain and "Age (y)" in f.message


def test_same_patient_in_two_listings() -> None:
    doc = Doc()
    ids = [str(i) for i in range(1, 11)]
    follow = ["17", "23", "20", "57", "55", "11", "5", "12", "8", "30"]
    death = ["17", "—", "20", "—", "—", "11", "5", "13", "8", "30"]
    doc.table(
        "Table 2",
        "Therapy",
        [["Patient", "Age (y)", "Follow-up (mo)"]],
        [[i, str(50 + int(i)), f] for i, f in zip(ids, follow, strict=True)],
    )
    doc.table(
        "Table 3",
        "Events",
        [["Patient", "Age (y)", "Death (mo)"]],
        [[i, str(50 + int(i)), d] for i, d in zip(ids, death, strict=True)],
    )
    bad = [f for f in check_tables(doc.paper()) if f.status == "inconsistent"]
    assert len(bad) == 1 and bad[0].message.startswith("Patient 8:")


def test_narrative_mean_against_the_table() -> None:
    doc = Doc()
    doc.table(
        "Table 2", "Follow-up", [["Group", "Follow-up (mo)"]], [["A", "26.5 ± 16.5"], ["B", "9.9 ± 4.6"]]
    )
    doc.add("Follow-up was 26.6 ± 16.5 mo versus 9.9 ± 4.6 mo.")
    doc.entity(SummaryStat, "26.6 ± 16.5", mean=26.6, sd=16.5, mean_decimals=1, sd_decimals=1)
    doc.entity(
        SummaryStat,
        "9.9 ± 4.6",
        after=doc.text.index("versus"),
        mean=9.9,
        sd=4.6,
        mean_decimals=1,
        sd_decimals=1,
    )
    found = [f for f in check_tables(doc.paper()) if f.check == "narrative_vs_table"]
    assert sorted(f.status for f in found) == ["consistent", "inconsistent"]
    bad = next(f for f in found if f.status == "inconsistent")
    assert not bad.uncertain and covers(doc, bad, "26.6 ± 16.5")


def follow_up(cells: tuple[str, str], said: tuple[tuple[float, float], tuple[float, float]]) -> Doc:
    doc = Doc()
    doc.table("Table 2", "Follow-up", [["Group", "Follow-up (mo)"]], [["A", cells[0]], ["B", cells[1]]])
    (m1, s1), (m2, s2) = said
    doc.add(f"Group A was followed longer than group B: {m1} ± {s1} mo versus {m2} ± {s2} mo.")
    after = 0
    for m, sd in said:
        after = doc.entity(
            SummaryStat, f"{m} ± {sd}", after, mean=m, sd=sd, mean_decimals=1, sd_decimals=1
        ).end
    return doc


def test_a_value_linked_on_its_own_ties_the_sentence_to_the_table() -> None:
    # no value printed exactly: 26.6 ± 16.5 links on its own (same 3-digit SD), so 9.2 ± 4.6 is the
    # table's 9.9 ± 4.6 misprinted (seven units off, beyond what a lone 2-digit SD would link)
    doc = follow_up(("26.5 ± 16.5", "9.9 ± 4.6"), ((26.6, 16.5), (9.2, 4.6)))
    found = [f for f in check_tables(doc.paper()) if f.check == "narrative_vs_table"]
    assert [f.status for f in found] == ["inconsistent", "inconsistent"]
    assert covers(doc, found[1], "9.2 ± 4.6") and "(9.2 vs 9.9)" in found[1].message and found[1].uncertain


def test_two_digit_sds_alone_tie_no_sentence_to_a_table() -> None:
    # "1.9 ± 1.1 versus 0.7 ± 0.8" may be another time point of the same variables
    doc = follow_up(("1.5 ± 1.1", "1.1 ± 0.8"), ((1.9, 1.1), (0.7, 0.8)))
    assert [f for f in check_tables(doc.paper()) if f.check == "narrative_vs_table"] == []


def bmi_table(sentence: str, mean: float, sd: float) -> Doc:
    doc = Doc()
    doc.table(
        "Table 2", "Baseline characteristics",
        [["", "Control", "Colostrum"]], [["BMI (kg/m2)", "24.5 ± 3.1", "26.2 ± 6.6"], ["Vitamin E", "31.0 ± 5.2", "28.4 ± 6.0"]],
    )  # fmt: skip
    doc.add(sentence)
    doc.entity(SummaryStat, f"{mean} ± {sd}", mean=mean, sd=sd, mean_decimals=1, sd_decimals=1)
    return doc


def test_a_narrative_mean_links_to_a_cell_only_through_its_row_and_column() -> None:
    # same mean, other SD: flagged only when the sentence names the cell's variable and group
    named = bmi_table("In the control group the BMI was 24.5 ± 2.8.", 24.5, 2.8)
    [f] = [f for f in check_tables(named.paper()) if f.check == "narrative_vs_table"]
    assert f.status == "inconsistent"
    other_group = bmi_table("Younger subjects had a BMI of 24.5 ± 2.8.", 24.5, 2.8)
    other_variable = bmi_table("Control subjects had a vitamin A level of 24.5 ± 2.8.", 24.5, 2.8)
    for doc in (other_group, other_variable):
        assert [f for f in check_tables(doc.paper()) if f.check == "narrative_vs_table"] == []


def test_whole_group_with_another_n_than_its_subgroups() -> None:
    doc = Doc()
    doc.table("Table 2", "Baseline", [["Group", "IL-2 (ng/mL)"]], [["Patients (n = 39)", "2.87 ± 1.23"]])
    doc.table(
        "Table 5", "By response",
        [["Group", "IL-2 (ng/mL)"]],
        [["Responders (n = 33)", "2.91 ± 0.56"], ["Nonresponders (n = 9)", "2.72 ± 0.54"]],
    )  # fmt: skip
    [f] = [f for f in check_tables(doc.paper()) if f.status == "inconsistent"]
    assert f.check == "subgroup_sum" and f.uncertain and covers(doc, f, "Patients (n = 39)")
