"""audit.summary_tests: t-tests from summaries, paired bounds, tests on counts, whole-group SD."""

from __future__ import annotations

import math

import pytest
from scipy import stats as sps

from audit.summary_tests import (
    check_combined_sd,
    check_counts_p,
    check_paired_p,
    check_ttest_p,
    chi2_from_counts,
    combined_mean,
    combined_sd,
    combined_sd_range,
    fisher_from_counts,
    implied_correlation,
    p_consistent,
    paired_t_bounds,
    ttest_from_stats,
    ttest_p_range,
)


def test_student_and_welch_from_summaries() -> None:
    student = ttest_from_stats(5.2, 1.1, 30, 4.5, 1.3, 30)
    assert student.df == 58 and student.t == pytest.approx(2.2514, abs=1e-4)
    assert student.p == pytest.approx(0.0282, abs=1e-4)
    welch = ttest_from_stats(5.2, 1.1, 30, 4.5, 1.3, 30, equal_var=False)
    assert welch.df == pytest.approx(56.45, abs=0.01) and welch.p > student.p
    with pytest.raises(ValueError):
        ttest_from_stats(1, 1, 1, 2, 1, 5)


def test_p_range_over_rounding_of_inputs() -> None:
    p_min, p_max = ttest_p_range(5.2, 1.1, 30, 4.5, 1.3, 30, mean_decimals=1, sd_decimals=1)
    point = ttest_from_stats(5.2, 1.1, 30, 4.5, 1.3, 30).p
    assert p_min < point < p_max
    assert (p_min, p_max) == pytest.approx((0.0095, 0.0690), abs=5e-4)
    # exact inputs: the range collapses to the point
    lo, hi = ttest_p_range(5.2, 1.1, 30, 4.5, 1.3, 30, None, None)
    assert lo == pytest.approx(point) and hi == pytest.approx(point)
    # means that overlap within rounding allow p = 1
    assert ttest_p_range(5.0, 1.0, 10, 5.1, 1.0, 10, 1, 1)[1] == 1.0


def test_check_ttest_p() -> None:
    ok = check_ttest_p(5.2, 1.1, 30, 4.5, 1.3, 30, 0.03, "=", 2, 1, 1)
    assert ok.status == "consistent" and ok.details["matching"] == ["student", "welch"]
    bad = check_ttest_p(5.2, 1.1, 30, 4.5, 1.3, 30, 0.001, "<", 3, 1, 1)
    assert bad.status == "inconsistent" and "outside every range" in bad.message
    assert check_ttest_p(5.2, 1.1, 1, 4.5, 1.3, 30, 0.03).status == "unverifiable"


def test_p_consistent_rules() -> None:
    assert p_consistent(0.04, "=", 0.036, 0.037, 2)
    assert not p_consistent(0.03, "=", 0.036, 0.037, 2)
    assert p_consistent(0.05, "<", 0.036, 0.037)
    assert not p_consistent(0.01, "<", 0.036, 0.037)
    assert p_consistent(0.03, ">", 0.02, 0.04)


def test_paired_bounds_over_correlation() -> None:
    bounds = paired_t_bounds(5.2, 1.1, 4.5, 1.3, 30)
    # r = -1: SD(diff) = 2.4, the weakest test; r = 1: SD(diff) = 0.2, the strongest
    t_weak = 0.7 / (2.4 / math.sqrt(30))
    assert bounds.t_min == pytest.approx(t_weak)
    assert bounds.p_max == pytest.approx(2 * sps.t.sf(t_weak, 29))
    assert bounds.p_min < 1e-10 and bounds.df == 29
    narrow = paired_t_bounds(5.2, 1.1, 4.5, 1.3, 30, r_range=(0.0, 0.9))
    assert narrow.p_max < bounds.p_max and narrow.p_min > bounds.p_min


def test_implied_correlation() -> None:
    # choose r = 0.5: SD(diff)^2 = 1.21 + 1.69 - 1.43 = 1.47
    t = 0.7 / math.sqrt(1.47 / 30)
    assert implied_correlation(5.2, 1.1, 4.5, 1.3, 30, t=t) == pytest.approx(0.5)
    p = 2 * sps.t.sf(t, 29)
    assert implied_correlation(5.2, 1.1, 4.5, 1.3, 30, p=p) == pytest.approx(0.5)
    # a t far too large for these SDs needs r > 1: impossible
    assert implied_correlation(5.2, 1.1, 4.5, 1.3, 30, t=40) > 1


def test_chi2_yates_and_fisher() -> None:
    table = [[12, 8], [5, 15]]
    plain = chi2_from_counts(table)
    yates = chi2_from_counts(table, yates=True)
    assert plain.chi2 == pytest.approx(5.0128, abs=1e-4) and plain.p == pytest.approx(0.0252, abs=1e-4)
    assert yates.chi2 == pytest.approx(3.6829, abs=1e-4) and yates.p == pytest.approx(0.0550, abs=1e-4)
    assert plain.df == 1 and plain.min_expected == 8.5
    assert fisher_from_counts(table) == pytest.approx(0.0536, abs=1e-4)
    # the classic tea-tasting table
    assert fisher_from_counts([[3, 1], [1, 3]]) == pytest.approx(0.4857, abs=1e-4)


def test_check_counts_p_names_the_method() -> None:
    table = [[12, 8], [5, 15]]
    assert check_counts_p(table, 0.025, "=", 3).details["matching"] == ["chi-square"]
    assert check_counts_p(table, 0.055, "=", 3).details["matching"] == ["chi-square with Yates"]
    assert check_counts_p(table, 0.054, "=", 3).details["matching"] == ["Fisher exact"]
    bad = check_counts_p(table, 0.001, "<")
    assert bad.status == "inconsistent" and "matches none" in bad.message
    assert check_counts_p([[0, 0], [3, 4]], 0.5).status == "unverifiable"
    small = check_counts_p([[3, 1], [1, 3]], 0.49, "=", 2)
    assert "chi-square unreliable" in small.message


def test_combined_sd() -> None:
    # two groups of 10 with means 5 and 6, SD 1: within 18, between 5 -> sqrt(23 / 19)
    assert combined_sd([5, 6], [1, 1], [10, 10]) == pytest.approx(math.sqrt(23 / 19))
    assert combined_mean([5, 6], [10, 30]) == 5.75
    lo, hi = combined_sd_range([5, 6], [1, 1], [10, 10], 1, 1)
    assert lo < combined_sd([5, 6], [1, 1], [10, 10]) < hi
    assert check_combined_sd(1.1, [5, 6], [1, 1], [10, 10], 1, 1, 1).status == "consistent"
    bad = check_combined_sd(1.6, [5, 6], [1, 1], [10, 10], 1, 1, 1)
    assert bad.status == "inconsistent" and "imply a whole-group SD of 1.1" in bad.message


def test_check_paired_p() -> None:
    ok = check_paired_p(5.2, 1.1, 4.5, 1.3, 30, 0.001, "=", 3)
    assert ok.status == "consistent" and "implies r = " in ok.message
    bad = check_paired_p(5.2, 1.1, 4.5, 1.3, 30, 0.5, "=", 2)  # needs r below -1
    assert bad.status == "inconsistent" and "impossible for any such r" in bad.message
    assert check_paired_p(5.2, 1.1, 4.5, 1.3, 1, 0.5).status == "unverifiable"
