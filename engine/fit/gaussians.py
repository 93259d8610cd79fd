"""Log densities of Gaussians in torch, for the models the fit trains (engine.fit.models).

With one Gaussian or a few, differences whitened by the inverse Cholesky factor; with many components in
many dimensions (the kinds of car of many properties), matrix products against their precisions.
"""

from __future__ import annotations

import math

import torch


def gaussian_log_prob(x: torch.Tensor, mean: torch.Tensor, tril: torch.Tensor) -> torch.Tensor:
    """log N(x | mean, tril tril^T) for x (n, d) against one Gaussian (mean (d,)) or K of them
    (mean (K, d)); returns (n,) or (n, K)."""
    if mean.dim() == 2 and mean.numel() > 64:
        return log_prob_by_products(x, precision_form(mean, tril))
    inv = torch.linalg.inv(tril)  # tiny (d <= 8): cheaper than a batched triangular solve per sample
    if mean.dim() == 1:
        z = (x - mean) @ inv.T
    else:
        z = torch.einsum("kij,nkj->nki", inv, x[:, None, :] - mean[None])
    log_det = torch.log(torch.diagonal(tril, dim1=-2, dim2=-1)).sum(-1)
    return -0.5 * (z**2).sum(-1) - log_det - 0.5 * x.shape[1] * math.log(2 * math.pi)


def precision_form(mean: torch.Tensor, tril: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """K Gaussians (mean (K, d), Cholesky factors (K, d, d)) as what scores points by matrix products: the
    precisions P flattened (d*d, K), P m (d, K) and each log density's constant part (K,)."""
    k, d = mean.shape
    inv = torch.linalg.inv(tril)
    prec = inv.transpose(-1, -2) @ inv
    pm = torch.einsum("kij,kj->ki", prec, mean)
    log_det = torch.log(torch.diagonal(tril, dim1=-2, dim2=-1)).sum(-1)
    const = -0.5 * (pm * mean).sum(-1) - log_det - 0.5 * d * math.log(2 * math.pi)
    return prec.reshape(k, d * d).T, pm.T, const


def log_prob_by_products(x: torch.Tensor, form: tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """(n, K) log densities from `precision_form`: -x'Px/2 + x'Pm + const. Many components in many
    dimensions: matrix products, never the (n, K, d) differences, whose backward took most of a step."""
    prec, pm, const = form
    d = x.shape[1]
    quad = (x[:, :, None] * x[:, None, :]).reshape(-1, d * d) @ prec
    return -0.5 * quad + x @ pm + const


def logsumexp(a: torch.Tensor, dim: int) -> torch.Tensor:
    """torch.logsumexp, but with many terms those below e^-80 of the largest count as e^-80: their
    exponentials would be subnormal floats, which the CPU handles many times slower, and they change
    nothing a float can hold. With a few terms, torch's own (one operation instead of several)."""
    if a.shape[dim] <= 64:
        return torch.logsumexp(a, dim=dim)
    top = a.detach().amax(dim=dim, keepdim=True)
    return torch.log(torch.exp((a - top).clamp_min(-80.0)).sum(dim=dim)) + top.squeeze(dim)
