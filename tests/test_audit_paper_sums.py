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


def enumerated(sentence: str, whole: str, parts: tuple[int, ...], equals: str = "n = ") -> Doc:
    """One sentence: a whole ("6 patients") then bracketed parts, each a cohort entity in order."""
    doc = Doc()
    doc.add(sentence)
    label = whole.split()[-1]
    doc.entity(Cohort, whole, n=int(whole.split()[0]), label=label)
    after = 0
    for n in parts:
        after = doc.entity(Cohort, f"{equals}{n}", after, n=n, label=label).end
    return doc


def rescue(parts: tuple[int, int, int], joiner: str = "or") -> Doc:
    return enumerated(
        "Consequently, 6 patients required chemotherapy alone (n = "
        f"{parts[0]}), radiotherapy alone (n = {parts[1]}), {joiner} chemoembolization (n = {parts[2]}).",
        "6 patients",
        parts,
    )


def enumeration_findings(doc: Doc) -> list:
    return [f for f in check_sums(doc.paper()) if "alternatives" in f.message]


def test_alternatives_add_up_to_the_count_that_opens_the_sentence() -> None:
    [f] = enumeration_findings(rescue((3, 2, 1)))
    assert f.status == "consistent" and "3 + 2 + 1 = 6" in f.message


def test_alternatives_that_miss_their_whole_are_flagged() -> None:
    doc = rescue((3, 2, 2))
    [f] = enumeration_findings(doc)
    assert f.status == "inconsistent" and "= 7, not 6" in f.message and covers(doc, f, "6 patients")


def test_an_and_list_may_overlap_and_is_not_summed() -> None:
    # "nausea (n = 4) and vomiting (n = 3)": one patient may have both
    assert enumeration_findings(rescue((3, 2, 2), joiner="and")) == []


def test_a_number_between_the_count_and_its_parts_blocks_the_link() -> None:
    doc = Doc()
    doc.add(
        "A total of 277 patients were recruited, 115 of whom were randomized to budesonide (n = 58) "
        "or formoterol (n = 57)."
    )
    doc.entity(Cohort, "277 patients", n=277, label="patients")
    doc.entity(Cohort, "n = 58", n=58, label="budesonide")
    doc.entity(Cohort, "n = 57", n=57, label="formoterol")
    assert enumeration_findings(doc) == []


def test_without_a_whole_a_reported_group_size_links_the_parts_and_a_mismatch_says_nothing() -> None:
    def doc_for(total: int) -> Doc:
        doc = Doc()
        doc.add(f"Finally, {total} patients entered the study.")
        doc.add(
            "Patients were treated for tumor growth (n = 21), contraindication (n = 7), or symptoms (n = 4)."
        )
        doc.entity(Cohort, f"{total} patients", n=total, label="patients")
        for n in (21, 7, 4):
            doc.entity(Cohort, f"n = {n}", n=n, label="patients")
        return doc

    [f] = enumeration_findings(doc_for(32))
    assert f.status == "consistent" and covers(doc_for(32), f, "32 patients")
    assert enumeration_findings(doc_for(33)) == []


def test_a_part_split_further_counts_once() -> None:
    doc = enumerated(
        "80 patients were randomized to saline (n = 40) versus epoetin (n = 40): either 40000 IU (n = 20) "
        "or 20000 IU (n = 20).",
        "80 patients",
        (40, 40, 20, 20),
    )
    [f] = enumeration_findings(doc)
    assert f.status == "consistent" and "40 + 40 = 80" in f.message


def test_parts_far_short_of_the_count_may_be_a_subset() -> None:
    doc = enumerated(
        "106 women were recruited, but some were lost to pregnancy (n = 3), moving (n = 6), or withdrawal (n = 8).",
        "106 women",
        (3, 6, 8),
    )
    assert enumeration_findings(doc) == []


def test_one_sentence_may_split_the_same_patients_twice() -> None:
    doc = enumerated(
        "In total, 249 patients with stage IIIB (n=34), IIIC (n=97), or IVM1a (n=118) disease were "
        "randomized to receive talimogene (n=163) or GM-CSF (n=86).",
        "249 patients",
        (34, 97, 118, 163, 86),
        equals="n=",
    )
    [f] = enumeration_findings(doc)
    assert f.status == "consistent" and "34 + 97 + 118; 163 + 86 = 249" in f.message


def group_a_enumeration(parts: tuple[int, int]) -> Doc:
    doc = Doc()
    doc.add("We treated 20 patients (group A) and compared them with 12 untreated patients (group B).")
    doc.entity(Cohort, "20 patients", n=20, label="group A")
    doc.entity(Cohort, "12 untreated patients", n=12, label="group B")
    doc.add(f"Group A patients received drug X (n = {parts[0]}) or drug Y (n = {parts[1]}).")
    after = 0
    for n, label in zip(parts, ("drug X", "drug Y"), strict=True):
        after = doc.entity(Cohort, f"n = {n}", after, n=n, label=label).end
    return doc


def test_without_a_count_the_group_the_sentence_names_is_the_whole() -> None:
    [f] = enumeration_findings(group_a_enumeration((5, 15)))
    assert f.status == "consistent"
    doc = group_a_enumeration((7, 15))
    [f] = enumeration_findings(doc)
    assert (
        f.status == "inconsistent"
        and "7 + 15 = 22, not the 20" in f.message
        and covers(doc, f, "20 patients")
    )
    assert enumeration_findings(group_a_enumeration((3, 10))) == []  # far short: may be a subset


def test_a_named_group_that_is_one_of_the_parts_is_no_whole() -> None:
    doc = Doc()
    doc.add("The Infusion group (n = 120) received meropenem.")
    doc.entity(Cohort, "n = 120", n=120, label="Infusion group")
    start, _ = doc.add(
        "Patients were randomized to the Infusion group (n = 120) or the Bolus group (n = 120)."
    )
    first = doc.entity(Cohort, "n = 120", start, n=120, label="Infusion group")
    doc.entity(Cohort, "n = 120", first.end, n=120, label="Bolus group")
    assert enumeration_findings(doc) == []
