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


def test_other_marker_is_not_linked() -> None:
    doc = doc_with("Decrease", "Increase", SENT.replace("IL-2 increase", "TNF-α decrease"))
    assert check_label_swaps(doc.paper()) == []
