"""The clustering of :mod:`geo.cluster` as scikit-learn estimators.

:class:`SectorDBSCAN` and :class:`SectorHDBSCAN` take ``X`` as (n, 2) longitudes
and latitudes, parameters in ``__init__``, and follow scikit-learn's estimator
contract (``get_params``, ``set_params``, :func:`sklearn.base.clone`,
``fit_predict``, ``labels_``); ``groups`` (for example the sector) clusters each
group on its own. Both are importable from :mod:`geo.cluster` too.
"""

from __future__ import annotations


import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data

from geo.cluster import dbscan, hdbscan

__all__ = ["SectorDBSCAN", "SectorHDBSCAN"]


def _validate_lon_lat(estimator: BaseEstimator, X: ArrayLike) -> np.ndarray:
    """``X`` as an (n, 2) float array of (lon, lat); records ``n_features_in_`` (and
    ``feature_names_in_`` for a DataFrame) as scikit-learn's estimators do."""
    shape = getattr(X, "shape", None) or np.shape(np.asarray(X, dtype=object))
    if len(shape) != 2:
        raise ValueError(f"X must have shape (n, 2) of (lon, lat), got {shape}")
    # scikit-learn's checks (2-D, dense, real, not empty); coordinates are checked by
    # dbscan/hdbscan, which name the first missing or out-of-range point
    checked: np.ndarray = validate_data(estimator, X, dtype=float, ensure_all_finite=False)
    if checked.shape[1] != 2:
        raise ValueError(
            f"X must have shape (n, 2) of (lon, lat), got {checked.shape}: "
            f"{checked.shape[1]} feature(s)"
        )
    return checked


class SectorDBSCAN(ClusterMixin, BaseEstimator):  # type: ignore[misc]  # sklearn: untyped
    """DBSCAN of firms by sector, a scikit-learn estimator; see :func:`dbscan`.

    Parameters
    ----------
    eps_km : float, default 2.0
        Radius in kilometres.
    min_samples : float, default 10
        Firms (or weight) within the radius that make a core firm.

    Attributes
    ----------
    labels_ : ndarray of int64
        Cluster of each firm, ``-1`` for noise.
    core_sample_indices_ : ndarray of int64
        Positions of the core firms.
    components_ : ndarray of shape (n_core, 2)
        (lon, lat) of the core firms, as scikit-learn's ``DBSCAN`` keeps them.
    n_clusters_ : int
        Number of clusters found.
    n_features_in_ : int
        Always 2.

    See Also
    --------
    sklearn.cluster.DBSCAN : the same labels on one group, in radians with the haversine
        metric, with every neighbourhood in memory.

    Examples
    --------
    >>> model = SectorDBSCAN(eps_km=2, min_samples=3).fit(
    ...     [[106.90, 47.90], [106.91, 47.90], [106.90, 47.91], [100.0, 45.0]]
    ... )
    >>> model.labels_.tolist()
    [0, 0, 0, -1]
    >>> from sklearn.base import clone
    >>> clone(model).get_params()
    {'eps_km': 2, 'min_samples': 3}
    """

    def __init__(self, eps_km: float = 2.0, min_samples: float = 10) -> None:
        self.eps_km = eps_km
        self.min_samples = min_samples

    def fit(
        self,
        X: ArrayLike,
        y: object = None,
        sample_weight: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> SectorDBSCAN:
        """Cluster ``X``, an (n, 2) array of (longitude, latitude) in degrees.

        Parameters
        ----------
        X : array-like of shape (n, 2)
            WGS84 (lon, lat) within :data:`MONGOLIA_BBOX`.
        y : ignored
        sample_weight : array-like of shape (n,), optional
            Non-negative weight of each firm (for example employees).
        groups : array-like of shape (n,), optional
            Cluster each group (sector) on its own.

        Returns
        -------
        self
        """
        lon_lat = _validate_lon_lat(self, X)
        result = dbscan(
            lon_lat[:, 0],
            lon_lat[:, 1],
            self.eps_km,
            self.min_samples,
            sample_weight=sample_weight,
            groups=groups,
        )
        self.labels_ = result.labels
        self.core_sample_indices_ = np.flatnonzero(result.core)
        self.components_ = lon_lat[self.core_sample_indices_].copy()
        self.n_clusters_ = result.n_clusters
        return self

    def fit_predict(
        self,
        X: ArrayLike,
        y: object = None,
        sample_weight: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> np.ndarray:
        """Cluster ``X`` (see :meth:`fit`) and return the labels."""
        labels: np.ndarray = self.fit(X, sample_weight=sample_weight, groups=groups).labels_
        return labels


class SectorHDBSCAN(ClusterMixin, BaseEstimator):  # type: ignore[misc]  # sklearn: untyped
    """HDBSCAN of firms by sector, a scikit-learn estimator; see :func:`hdbscan`.

    Parameters
    ----------
    min_cluster_size : int, default 10
        Smallest number of firms that forms a cluster (at least 2).
    min_samples : int, optional
        Density of the core distance; defaults to ``min_cluster_size``.

    Attributes
    ----------
    labels_ : ndarray of int64
        Cluster of each firm, ``-1`` for noise.
    n_clusters_ : int
        Number of clusters found.
    n_features_in_ : int
        Always 2.
    """

    def __init__(self, min_cluster_size: int = 10, min_samples: int | None = None) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples

    def fit(self, X: ArrayLike, y: object = None, groups: ArrayLike | None = None) -> SectorHDBSCAN:
        """Cluster ``X``, an (n, 2) array of (longitude, latitude) in degrees.

        Parameters
        ----------
        X : array-like of shape (n, 2)
            WGS84 (lon, lat) within :data:`MONGOLIA_BBOX`.
        y : ignored
        groups : array-like of shape (n,), optional
            Cluster each group (sector) on its own.

        Returns
        -------
        self
        """
        lon_lat = _validate_lon_lat(self, X)
        self.labels_ = hdbscan(
            lon_lat[:, 0],
            lon_lat[:, 1],
            self.min_cluster_size,
            min_samples=self.min_samples,
            groups=groups,
        )
        self.n_clusters_ = int(self.labels_.max() + 1) if self.labels_.size else 0
        return self

    def fit_predict(
        self, X: ArrayLike, y: object = None, groups: ArrayLike | None = None
    ) -> np.ndarray:
        """Cluster ``X`` (see :meth:`fit`) and return the labels."""
        labels: np.ndarray = self.fit(X, groups=groups).labels_
        return labels
