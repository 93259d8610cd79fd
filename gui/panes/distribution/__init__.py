"""The distribution pane (pane.py) and its drawings of the data: one axis (marginal.py) or the plane
(plane.py), on what they share (drawing.py)."""

from gui.panes.distribution.pane import DistributionPane

__all__ = ["DistributionPane"]
