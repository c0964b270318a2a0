"""Meta-analysis of proportions: metafor's transforms and tau^2 estimators, pure numpy/scipy."""

from pooling.meta import Pooled, Study, pool
from pooling.settings import METHODS, TRANSFORMS, PoolSettings
from pooling.transforms import PFT_WARNING, back_transform, escalc

__all__ = [
    "METHODS",
    "PFT_WARNING",
    "TRANSFORMS",
    "PoolSettings",
    "Pooled",
    "Study",
    "back_transform",
    "escalc",
    "pool",
]
