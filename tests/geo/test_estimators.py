"""SectorDBSCAN and SectorHDBSCAN as scikit-learn estimators.

scikit-learn's estimator checks run where they apply: those about parameters,
cloning, tags, sparse, complex and empty input. The rest fit on data that is
not (longitude, latitude) in Mongolia (3 to 30 columns, points around 0, 0),
which these estimators refuse by design; the properties those checks test
(fit returns self, is idempotent, leaves parameters alone, pickles, does not
depend on the order of the firms) are tested here on Mongolian points.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from geo.cluster import SectorDBSCAN, SectorHDBSCAN, dbscan

NOT_LON_LAT = (
    "fits on data that is not (lon, lat) in Mongolia, which the estimator refuses; "
    "the property is tested in this file on Mongolian points"
)

#: scikit-learn checks whose data these estimators refuse (see the module's text).
DOMAIN_CHECKS = (
    "check_all_zero_sample_weights_error",
    "check_clustering",
    "check_dict_unchanged",
    "check_dont_overwrite_parameters",
    "check_dtype_object",
    "check_estimators_dtypes",
    "check_estimators_fit_returns_self",
    "check_estimators_nan_inf",
    "check_estimators_overwrite_params",
    "check_estimators_pickle",
    "check_f_contiguous_array_estimator",
    "check_fit2d_1sample",
    "check_fit2d_predict1d",
    "check_fit_check_is_fitted",
    "check_fit_idempotent",
    "check_fit_score_takes_y",
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
    "check_n_features_in",
    "check_n_features_in_after_fitting",
    "check_pipeline_consistency",
    "check_positive_only_tag_during_fit",
    "check_readonly_memmap_input",
    "check_sample_weight_equivalence_on_dense_data",
    "check_sample_weights_list",
    "check_sample_weights_not_an_array",
    "check_sample_weights_not_overwritten",
    "check_sample_weights_pandas_series",
    "check_sample_weights_shape",
)


def _expected_failures(estimator) -> dict[str, str]:
    return {name: NOT_LON_LAT for name in DOMAIN_CHECKS}


@parametrize_with_checks(
    [SectorDBSCAN(), SectorHDBSCAN()], expected_failed_checks=_expected_failures
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def points() -> np.ndarray:
    rng = np.random.default_rng(20)
    return np.vstack(
        [
            rng.normal([106.92, 47.92], 0.004, (60, 2)),  # Ulaanbaatar
            rng.normal([104.05, 49.03], 0.004, (40, 2)),  # Erdenet
            rng.uniform([95, 43], [115, 50], (30, 2)),
        ]
    )  # scattered


@pytest.mark.parametrize(
    "model",
    [SectorDBSCAN(eps_km=1.5, min_samples=5), SectorHDBSCAN(min_cluster_size=15, min_samples=5)],
)
def test_clone_get_params_set_params(model, points):
    copy = clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    assert not hasattr(copy, "labels_")
    fitted = copy.fit(points)
    assert fitted is copy  # fit returns self
    assert model.get_params() == copy.get_params()  # fit leaves parameters alone
    first = copy.labels_.copy()
    assert np.array_equal(copy.fit(points).labels_, first)  # idempotent
    again = pickle.loads(pickle.dumps(copy))
    assert np.array_equal(again.labels_, first)
    assert copy.n_features_in_ == 2
    other = clone(model).set_params(min_samples=7)
    assert other.get_params()["min_samples"] == 7


def test_fit_predict_is_fit_then_labels(points):
    model = SectorDBSCAN(eps_km=1.5, min_samples=5)
    labels = model.fit_predict(points)
    assert np.array_equal(labels, SectorDBSCAN(eps_km=1.5, min_samples=5).fit(points).labels_)
    assert model.n_clusters_ == 2
    assert np.array_equal(model.components_, points[model.core_sample_indices_])
    hd = SectorHDBSCAN(min_cluster_size=15)
    assert np.array_equal(
        hd.fit_predict(points), SectorHDBSCAN(min_cluster_size=15).fit(points).labels_
    )


def test_labels_do_not_depend_on_the_order_of_the_firms(points):
    order = np.random.default_rng(3).permutation(len(points))
    model = SectorDBSCAN(eps_km=1.5, min_samples=5)
    a = model.fit_predict(points)
    b = np.empty_like(a)
    b[order] = model.fit_predict(points[order])
    # the same partition (cluster numbers follow the first core firm, so they may swap)
    pairs = set(zip(a.tolist(), b.tolist()))
    assert len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))
    assert all((x == -1) == (y == -1) for x, y in pairs)


def test_groups_and_weights_pass_through_as_in_dbscan(points):
    groups = np.where(np.arange(len(points)) % 2 == 0, "mining", "trade")
    weight = np.arange(len(points)) % 5
    model = SectorDBSCAN(eps_km=1.5, min_samples=8)
    labels = model.fit_predict(points, sample_weight=weight, groups=groups)
    direct = dbscan(points[:, 0], points[:, 1], 1.5, 8, sample_weight=weight, groups=groups)
    assert np.array_equal(labels, direct.labels)


def test_a_data_frame_remembers_its_column_names(points):
    frame = pd.DataFrame(points, columns=["lon", "lat"])
    model = SectorDBSCAN(eps_km=1.5, min_samples=5).fit(frame)
    assert list(model.feature_names_in_) == ["lon", "lat"]


def test_refuses_what_is_not_lon_lat_in_mongolia(points):
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        SectorDBSCAN().fit(np.ones((5, 3)) + 100)
    with pytest.raises(ValueError, match="outside Mongolia"):
        SectorDBSCAN().fit(points[:, ::-1])
    with pytest.raises(ValueError, match="without coordinates"):
        SectorHDBSCAN().fit(np.vstack([points, [[np.nan, 47.0]]]))
