from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from extractors.stats import normalize_test, parse_stats

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "statcheck"


@pytest.mark.parametrize(
    ("text", "test", "df", "value", "p_op", "p"),
    [
        ("t(28) = 2.20, p = .03", "t", [28.0], 2.20, "=", 0.03),
        ("F(2, 45) = 3.21, p < .05", "F", [2.0, 45.0], 3.21, "<", 0.05),
        ("χ2(1, N = 90) = 4.5, p = .034", "chi2", [1.0], 4.5, "=", 0.034),
        ("chi-square(2) = 7.1, p = .03", "chi2", [2.0], 7.1, "=", 0.03),
        ("r(48) = −.21, p = .14", "r", [48.0], -0.21, "=", 0.14),
        ("z = 1.96, p = .05", "z", [], 1.96, "=", 0.05),
        ("Q(3)=12.1, p=.007", "Q", [3.0], 12.1, "=", 0.007),
        ("t(28) = 22.20, p = .000", "t", [28.0], 22.20, "=", 0.0),
        ("t(261.38) = −2.27, p = .024", "t", [261.38], -2.27, "=", 0.024),
        ("t (28) 2.20, p = .03", "t", [28.0], 2.20, "=", 0.03),
        ("F(1,\n36) = 4.03, p = .05", "F", [1.0, 36.0], 4.03, "=", 0.05),
        ("t(28) = 2.2, P < 0.001", "t", [28.0], 2.2, "<", 0.001),
        ("F(2, 70) = 4.48, MSE = 6.61, p < .02", "F", [2.0, 70.0], 4.48, "<", 0.02),
        ("t(28) = 2.20, ns", "t", [28.0], 2.20, ">", None),
        ("χ2(374, N = 488) = 1,224.08, p < .001", "chi2", [374.0], 1224.08, "<", 0.001),
    ],
)
def test_parse_stats_fields(
    text: str, test: str, df: list[float], value: float, p_op: str, p: float | None
) -> None:
    (s,) = parse_stats(text)
    assert (s.test, s.df, s.value, s.p_operator, s.p_value) == (test, df, pytest.approx(value), p_op, p)
    assert text[s.start : s.end] == s.raw
    assert s.start == 0


def test_decimals_and_comparison() -> None:
    (s,) = parse_stats("as predicted, t(28) < 2.20, p = .0300")
    assert (s.comparison, s.value_decimals, s.p_decimals) == ("<", 2, 4)
    assert s.raw == "t(28) < 2.20, p = .0300"


def test_one_tailed_from_context() -> None:
    (s,) = parse_stats("t(28)=2.20, p<.05, one-tailed")
    assert s.one_tailed
    (s,) = parse_stats("t(28) = 2.20, p = .018, one-sided.")
    assert s.one_tailed
    (s,) = parse_stats("t(28) = 2.20, p = .018.")
    assert not s.one_tailed


def test_span_within_sentence() -> None:
    text = "Groups differed, t(28) = 2.20, p = .03, in recall."
    (s,) = parse_stats(text)
    assert text[s.start : s.end] == "t(28) = 2.20, p = .03"


def test_two_values_share_df() -> None:
    stats = parse_stats("F(1, 15) = 19.9 and 5.16, p < .001 and p < .05")
    assert [(s.value, s.p_operator, s.p_value) for s in stats] == [(19.9, "<", 0.001), (5.16, "<", 0.05)]


def test_significance_level_in_words() -> None:
    (s,) = parse_stats("QBetween(2) = 11.46, was statistically significant at the .05 level")
    assert (s.test, s.p_operator, s.p_value) == ("Q", "<", 0.05)


@pytest.mark.parametrize(
    "text",
    [
        "In 2001 (p. 12) the cohort grew",
        "Phase 2 trial (n = 45)",
        "at(28) = 2.2",
        "BF = 3.2, p = .04",
        "the t-test was used",
        "Patients (28) were enrolled",
    ],
)
def test_not_results(text: str) -> None:
    assert parse_stats(text) == []


def test_never_computes_p() -> None:
    (s,) = parse_stats("t(28) = 2.20")
    assert s.p_value is None and s.p_operator is None


def test_normalize_test() -> None:
    assert [normalize_test(n) for n in ("QBetween", "χ2", "Fs", "BF", "Z", "rs")] == [
        "Q",
        "chi2",
        "F",
        "F",
        "z",
        "r",
    ]


@pytest.mark.corpus
def test_statcheck_unit_case_texts_parse() -> None:
    path = CORPUS / "statcheck_unit_cases.jsonl"
    if not path.exists():
        pytest.skip(f"statcheck corpus absent: {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        stats = parse_stats(row["text"])
        assert len(stats) == 1, row["text"]


@pytest.mark.corpus
def test_statcheck_manual_gold_share() -> None:
    path = CORPUS / "statcheck_manual_gold.jsonl"
    if not path.exists():
        pytest.skip(f"statcheck corpus absent: {path}")
    bench = Path(__file__).resolve().parents[1] / "bench" / "statcheck_extract.py"
    spec = importlib.util.spec_from_file_location("statcheck_extract", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    share, failures = module.score(path)
    assert share >= 0.95, [f[0]["raw_result"] for f in failures]


def test_decimal_comma() -> None:
    (s,) = parse_stats("F(1, 24) = 4,50, p = .04")
    assert (s.value, s.value_decimals, s.df) == (4.5, 2, [1.0, 24.0])


@pytest.mark.parametrize(
    ("text", "test", "df", "value"),
    [
        ("(t 283 = 1.36, P = .18, d = 0.1)", "t", [283.0], 1.36),
        ("interaction F 1,375.4 = 11.71, P = .001).", "F", [1.0, 375.4], 11.71),
    ],
)
def test_flattened_subscript_df(text: str, test: str, df: list[float], value: float) -> None:
    (s,) = parse_stats(text)
    assert (s.test, s.df, s.value) == (test, df, value)


def test_flattened_df_needs_a_p() -> None:
    assert parse_stats("at t 12 = 3.4 hours") == []
