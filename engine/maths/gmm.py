"""A Gaussian mixture fitted to points by EM, with the number of components chosen by BIC.

scikit-learn's GaussianMixture does the EM (k-means initialisation, full covariances, a few restarts);
here the points are standardised first, so its covariance floor means the same at any scale, and the
components come back in the points' own units, sorted along the first axis. scikit-learn is slow to
import, so it loads when a mixture is first fitted (engine.lazy), never on the way to a window.
"""

from __future__ import annotations

import warnings

import numpy as np

from engine.lazy import lazy_import

sklearn_mixture = lazy_import("sklearn.mixture")
sklearn_exceptions = lazy_import("sklearn.exceptions")

MAX_COMPONENTS = 6
MAX_POINTS = 5000  # EM sees at most this many points (a seeded subsample): enough to place six Gaussians
RESTARTS = 2


def fit_gaussian_mixture(points: np.ndarray, seed: int = 0, max_components: int = MAX_COMPONENTS
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights (K,), means (K, d), covariances (K, d, d)) of the mixture with the lowest BIC, K from 1 to
    max_components (and no more than the points allow)."""
    x = np.asarray(points, dtype=float)
    if len(x) > MAX_POINTS:
        x = x[np.random.default_rng(seed).choice(len(x), MAX_POINTS, replace=False)]
    centre, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x - centre) / scale
    distinct = len(np.unique(z, axis=0))
    best, best_bic = None, np.inf
    for k in range(1, max(1, min(max_components, distinct)) + 1):
        model = sklearn_mixture.GaussianMixture(k, covariance_type="full", n_init=RESTARTS, random_state=seed, reg_covar=1e-4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sklearn_exceptions.ConvergenceWarning)  # a K that does not converge loses on BIC anyway
            model.fit(z)
        bic = model.bic(z)
        if bic < best_bic:
            best, best_bic = model, bic
    order = np.argsort(best.means_[:, 0])
    weights = best.weights_[order]
    means = best.means_[order] * scale + centre
    covs = best.covariances_[order] * np.outer(scale, scale)[None]
    return weights / weights.sum(), means, 0.5 * (covs + np.swapaxes(covs, 1, 2))
