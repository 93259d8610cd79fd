"""EM with BIC in numpy: it finds what scikit-learn's GaussianMixture finds, and it keeps scikit-learn and
SciPy (about 100 MB) out of the window's process."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture

from engine.maths.gmm import fit_gaussian_mixture


def _sklearn_best(x: np.ndarray, max_components: int = 6):
    """scikit-learn's mixture with the lowest BIC, as the reference."""
    models = [GaussianMixture(k, covariance_type="full", n_init=3, random_state=0, reg_covar=1e-6).fit(x)
              for k in range(1, max_components + 1)]
    return min(models, key=lambda m: m.bic(x))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_agrees_with_scikit_learn_on_separated_clouds(seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal([-2.0, 0.0], [0.5, 0.8], (400, 2)), rng.normal([2.5, 1.0], [0.6, 0.3], (600, 2)),
                        rng.normal([0.0, 4.0], [0.4, 0.4], (300, 2))])
    weights, means, covs = fit_gaussian_mixture(x, seed=seed)
    reference = _sklearn_best(x)
    order = np.argsort(reference.means_[:, 0])
    assert len(weights) == len(reference.weights_) == 3
    np.testing.assert_allclose(weights, reference.weights_[order], atol=0.01)
    np.testing.assert_allclose(means, reference.means_[order], atol=0.05)
    np.testing.assert_allclose(covs, reference.covariances_[order], atol=0.05)


def test_em_is_the_same_for_the_same_seed_and_symmetric_covariances():
    x = np.random.default_rng(5).normal(size=(500, 2)) * [1.0, 3.0]
    first, again = fit_gaussian_mixture(x, seed=3), fit_gaussian_mixture(x, seed=3)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    covs = first[2]
    np.testing.assert_array_equal(covs, np.swapaxes(covs, 1, 2))
    assert np.all(np.linalg.eigvalsh(covs) > 0)


def test_a_few_identical_points_give_one_component():
    weights, means, covs = fit_gaussian_mixture(np.full((30, 1), 7.0))
    assert len(weights) == 1 and means[0, 0] == 7.0 and covs[0, 0, 0] > 0


def test_fitting_a_mixture_to_points_loads_neither_scikit_learn_nor_scipy():
    code = ("import sys, numpy as np\n"
            "from engine.maths.gmm import fit_gaussian_mixture\n"
            "fit_gaussian_mixture(np.random.default_rng(0).normal(size=(800, 2)))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
