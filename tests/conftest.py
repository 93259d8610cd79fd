"""Test configuration: Qt runs offscreen, and pyqtgraph accepts simulated drags."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
