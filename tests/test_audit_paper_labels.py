"""label_swap: 2×2 sensitivity/specificity tables against the text citing them."""

from __future__ import annotations

from audit.paper_labels import check_label_swaps
from tests.test_audit_paper_fixtures import Doc, covers


def doc_with(first: str, second: str, sentence: str) -> Doc:
    doc = Doc()
    doc.add(sentence)
    doc.table(
        "Table 6", "Sensitivity and Specificity of an Increase in IL-2",
        [["Responders", "Nonresponders", "Total"], ["Change in IL-2 level", "n", "%", "n", "%", "n", "%"]],
        [
            [first, "29", "87.9", "2", "22.2", "31", "73.8"],
            [second, "4", "12.1", "7", "77.8", "11", "26.2"],
            ["Total", "33", "100", "9", "100", "42", "100"],
        ],
    )  # fmt: skip
    return doc


SENT = "We found the sensitivity and specificity of IL-2 increase to be 87.9% and 77.8%, respectively."


def test_swapped_row_labels() -> None:
    doc = doc_with("Decrease", "Increase", SENT)
    [f] = check_label_swaps(doc.paper())
    assert f.status == "inconsistent" and f.severity == "major"
    assert covers(doc, f, "87.9% and 77.8%") and covers(doc, f, "Decrease")


def test_labels_that_agree() -> None:
    doc = doc_with("Increase", "Decrease", SENT)
    [f] = check_label_swaps(doc.paper())
    assert f.status == "consistent"


def test_other_marker_is_not_linked_but_read_against_the_shared_groups() -> None:
    # 87.9% = 29/33 and 77.8% = 7/9: attainable with the table's groups, whatever the marker's table
    doc = doc_with("Decrease", "Increase", SENT.replace("IL-2 increase", "TNF-α decrease"))
    [f] = check_label_swaps(doc.paper())
    assert f.check == "percent_recompute" and f.status == "consistent" and f.uncertain


def test_other_marker_with_a_percentage_no_group_size_gives() -> None:
    sentence = "The sensitivity and specificity of TNF-α decrease were 80.6% and 66.7%, respectively."
    doc = doc_with("Decrease", "Increase", sentence)
    [f] = check_label_swaps(doc.paper())
    assert f.check == "percent_recompute" and f.status == "inconsistent"
    assert covers(doc, f, "80.6% and 66.7%") and "n = 33 and n = 9" in f.message


def test_diagnostic_tables_with_different_groups_give_no_verdict() -> None:
    doc = doc_with(
        "Decrease", "Increase", "The sensitivity and specificity of TNF-α decrease were 80.6% and 66.7%."
    )
    doc.table(
        "Table 7", "Sensitivity and Specificity of a Rise in CRP",
        [["Responders", "Nonresponders", "Total"], ["Change in CRP level", "n", "%", "n", "%", "n", "%"]],
        [["Rise", "20", "66.7", "4", "33.3", "24", "57.1"], ["Fall", "10", "33.3", "8", "66.7", "18", "42.9"],
         ["Total", "30", "100", "12", "100", "42", "100"]],
    )  # fmt: skip
    assert check_label_swaps(doc.paper()) == []
