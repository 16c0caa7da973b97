"""The scan statistic, the hypergeometric tail and the adjustments across sectors, checked
against hand computations, the compiled kernel and scipy."""

from __future__ import annotations

import numpy as np
import pytest

from geo.scan_statistic import adjust_across_sectors, bernoulli_llr, hypergeom_tail, replicates_for


def test_llr_is_zero_unless_the_window_is_elevated_and_matches_the_compiled_one():
    from geo._scan_kernels import bernoulli_llr_scalar

    assert bernoulli_llr(8, 10, 20, 100) == pytest.approx(9.6955, abs=1e-4)
    assert bernoulli_llr(2, 10, 20, 100) == 0.0  # 20% inside, 20% outside
    assert bernoulli_llr(1, 10, 20, 100) == 0.0  # below the rest
    assert bernoulli_llr(5, 100, 5, 100) == 0.0  # the window is everything
    rng = np.random.default_rng(0)
    for _ in range(200):
        N = int(rng.integers(10, 5000))
        C = int(rng.integers(1, N))
        n = int(rng.integers(1, N))
        c = int(rng.integers(max(0, n - (N - C)), min(n, C) + 1))
        assert bernoulli_llr(c, n, C, N) == pytest.approx(
            bernoulli_llr_scalar(float(c), float(n), float(C), float(N)), rel=1e-10, abs=1e-10
        )


@pytest.mark.parametrize(
    "c, n, C, N",
    [
        (10, 12, 12, 40),
        (0, 5, 3, 20),
        (3, 5, 3, 20),
        (50, 400, 300, 20_000),
        (140, 406, 266, 6534),
        (225, 714, 1621, 6534),
        (1, 1, 1, 1),
        (7, 50, 100, 1000),
        (40, 40, 40, 100_000),
    ],
)
def test_hypergeometric_tail_matches_scipy(c, n, C, N):
    from scipy.stats import hypergeom

    ours = float(hypergeom_tail(c, n, C, N))
    theirs = float(hypergeom.sf(c - 1, N, C, n))
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-300)


def test_adjustment_across_sectors_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    adjusted, level = adjust_across_sectors(p, 0.05, "holm")
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, cumulative maximum
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert level == pytest.approx([0.05 / 3, 0, 0, 0.05 / 4])
    adjusted, level = adjust_across_sectors(p, 0.05, "bh")
    # 0.005*4/1, 0.01*4/2, 0.03*4/3, 0.04*4/4, cumulative minimum from the end
    assert adjusted == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert level == pytest.approx([0.05] * 4)  # all four kept: level 4 * 0.05 / 4
    with pytest.raises(ValueError, match="method"):
        adjust_across_sectors(p, 0.05, "bonferroni")


def test_replicates_are_enough_for_holm_s_first_step():
    assert replicates_for(1) == 499  # at least the minimum
    for tests in (1, 5, 18, 40, 100):
        r = replicates_for(tests)
        assert 1 / (r + 1) <= 0.05 / tests and r % 100 == 99
