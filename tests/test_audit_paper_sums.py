"""subgroup_sum and row_count (audit/paper_sums.py)."""

from __future__ import annotations

from audit.paper_sums import check_sums
from schemas import Cohort
from tests.test_audit_paper_fixtures import Doc, covers


def sex_split(total: int) -> Doc:
    doc = Doc()
    doc.add(f"A total of {total} patients (24 men and 18 women; mean age, 54 y) were treated.")
    doc.entity(Cohort, f"{total} patients", n=total, label="patients")
    doc.entity(Cohort, "24 men", n=24, label="men")
    doc.entity(Cohort, "18 women", n=18, label="women")
    return doc


def test_sex_split_adds_up() -> None:
    assert [f.status for f in check_sums(sex_split(42).paper())] == ["consistent"]


def test_sex_split_that_does_not_add_up() -> None:
    doc = sex_split(44)
    [f] = check_sums(doc.paper())
    assert f.status == "inconsistent" and covers(doc, f, "24 men")


def test_total_row_and_category_blocks() -> None:
    doc = Doc()
    doc.table(
        "Table 4", "Characteristics",
        [["Parameter", "Responders (n = 33)", "Nonresponders (n = 9)"]],
        [["Age (y)", "53 ± 20.3", "58 ± 21.2"], ["Male", "19", "5"], ["Female", "14", "5"], ["Tumour", "", ""],
         ["Lung", "20", "3"], ["Other", "13", "6"]],
    )  # fmt: skip
    found = check_sums(doc.paper())
    bad = [f for f in found if f.status == "inconsistent"]
    assert len(found) == 4 and len(bad) == 1 and "not n = 9" in bad[0].message
    doc2 = Doc()
    doc2.table(
        "Table 6",
        "Counts",
        [["Change", "A", "B"]],
        [["Up", "29", "2"], ["Down", "4", "7"], ["Total", "33", "10"]],
    )
    assert sorted(f.status for f in check_sums(doc2.paper())) == ["consistent", "inconsistent"]


def events_listing(doc: Doc) -> None:
    rows = []
    responses = ["Progression", "Stabilization", "Stabilization", "Progression", "Stabilization", "—"]
    for i, r in enumerate(responses * 2, start=1):
        rows.append([str(i), "A" if i <= 6 else "B", r, "Improvement" if i % 3 == 0 else "None"])
    doc.table("Table 3", "Events", [["Patient", "Group", "Response at 3 mo", "Clinical status"]], rows)


def test_narrative_count_against_the_listing() -> None:
    doc = Doc()
    events_listing(doc)
    doc.add("In group B, 4 of 6 patients had tumor progression within 3 mo.")
    doc.add("In group A, 2 of 6 patients had tumor progression within 3 mo.")
    found = [f for f in check_sums(doc.paper()) if f.check == "row_count"]
    assert [f.status for f in found] == ["inconsistent", "consistent"]
    assert covers(doc, found[0], "4 of 6") and "patients 7, 10" in found[0].message


def test_count_without_a_matching_denominator_is_left_alone() -> None:
    doc = Doc()
    events_listing(doc)
    doc.add("In group B, 4 of 5 patients had tumor progression within 3 mo.")
    assert [f for f in check_sums(doc.paper()) if f.check == "row_count"] == []


def marker_listing(doc: Doc) -> None:
    rows = [
        ["1", "Carcinoid", "—"], ["2", "NET", "NSE, ↓37%"], ["3", "Carcinoid", "5-HIAA, ↓48%"],
        ["4", "NET", "5-HIAA, ↓58%"], ["5", "Carcinoid", "—"], ["6", "Carcinoid", "5-HIAA, normalized"],
    ]  # fmt: skip
    doc.table("Table 3", "Events", [["Patient", "Primary tumor", "Biologic response"]], rows)


def test_count_with_a_category_against_the_marker_column() -> None:
    doc = Doc()
    marker_listing(doc)
    doc.add("In 4 patients (21%) with carcinoids, there was a marker response (5-HIAA or NSE decrease).")
    [f] = [f for f in check_sums(doc.paper()) if f.check == "row_count"]
    assert f.status == "inconsistent" and "patients 3, 6" in f.message and covers(doc, f, "4 patients (21%)")


def test_count_with_a_category_that_matches() -> None:
    doc = Doc()
    marker_listing(doc)
    doc.add("In 2 patients with carcinoids, 5-HIAA decreased.")
    [f] = [f for f in check_sums(doc.paper()) if f.check == "row_count"]
    assert f.status == "consistent"


def test_narrative_category_count_against_the_table_row() -> None:
    doc = Doc()
    doc.add("Forty-two patients were treated. All 42 patients had bone metastases.")
    doc.entity(Cohort, "Forty-two patients", n=42)
    doc.entity(Cohort, "42 patients", n=42)
    doc.add("Primary tumors were of the lung (n = 14) and breast (n = 12).")
    doc.entity(Cohort, "n = 14", n=14, label="lung")
    doc.entity(Cohort, "n = 12", n=12, label="breast")
    doc.table(
        "Table 4", "Tumour types",
        [["Parameter", "Responders (n = 33)", "Nonresponders (n = 9)"]],
        [["Lung", "11", "3"], ["Breast", "8", "2"]],
    )  # fmt: skip
    found = [f for f in check_sums(doc.paper()) if f.check == "narrative_vs_table"]
    assert [f.status for f in found] == ["consistent", "inconsistent"]
    assert covers(doc, found[1], "n = 12") and "8 + 2 = 10" in found[1].message
