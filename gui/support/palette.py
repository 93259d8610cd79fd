"""Colours and pens: the Okabe-Ito palette (safe for colour-blind viewers) on a dark stage."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

BACKGROUND = "#1b1f27"
PANEL = "#232833"
GRID = "#3a4150"
TEXT = "#e6e9ef"
MUTED = "#9aa3b2"

# Okabe & Ito (2008), "Color Universal Design".
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

DATA = SKY  # the data: density, histogram, samples, components
ESTIMATE = ORANGE  # the fit
MEAN = YELLOW
MEDIAN = GREEN
MODE = PURPLE



def talk_scale(height: int) -> float:
    """Talk mode's type against the desk's, for a window `height` logical pixels tall: the same share of the
    screen on every projector (1.35 at 720 rows, 2 at 1080, 4 at 2160), read from the back of a room."""
    return round(min(max(height / 540, 1.25), 4.0) * 20) / 20


def talk_lines(type_scale: float) -> float:
    """Talk mode's line widths and markers, against the desk's, for its type scale."""
    return 1.25 * type_scale


def qcolor(hex_colour: str, alpha: int = 255) -> QColor:
    c = QColor(hex_colour)
    c.setAlpha(alpha)
    return c


def style_sheet(scale: float = 1.0) -> str:
    """The app's look; `scale` enlarges the type (talk mode reads from the back of a room)."""
    return f"""
QMainWindow, QWidget {{ background: {BACKGROUND}; color: {TEXT}; font-size: {10 * scale:.0f}pt; }}
QGroupBox {{ border: 1px solid {GRID}; border-radius: 6px; margin-top: {14 * scale:.0f}px; padding: 2px 6px 2px 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {MUTED}; }}
QPushButton {{ background: {PANEL}; border: 1px solid {GRID}; border-radius: 5px; padding: 5px 10px; }}
QPushButton:hover {{ border-color: {SKY}; }}
QPushButton:pressed {{ background: {GRID}; }}
QPushButton:checked {{ background: {ORANGE}; color: #111; border-color: {ORANGE}; }}
QPushButton:disabled {{ color: {MUTED}; }}
QComboBox, QSpinBox, QDoubleSpinBox {{ background: {PANEL}; border: 1px solid {GRID}; border-radius: 4px; padding: 3px 6px; }}
QComboBox QAbstractItemView {{ background: {PANEL}; selection-background-color: {BLUE}; }}
QSlider::groove:horizontal {{ height: 4px; background: {GRID}; border-radius: 2px; }}
QSlider::handle:horizontal {{ background: {SKY}; width: 14px; margin: -6px 0; border-radius: 7px; }}
QStatusBar {{ color: {MUTED}; }}
QToolTip {{ background: {PANEL}; color: {TEXT}; border: 1px solid {GRID}; }}
QLabel#explanation {{ color: {MUTED}; }}
QLabel#bigNumber {{ font-size: {16 * scale:.0f}pt; font-weight: 600; }}
QLabel#headline {{ font-size: {(13 if scale == 1 else 12) * scale:.0f}pt; padding: 6px 10px; }}
QLabel#tourCaption {{ font-size: {12 * scale:.0f}pt; background: {PANEL}; border-left: 4px solid {ORANGE}; padding: 8px 12px; }}
QLabel#keyHints {{ color: {MUTED}; font-size: {9 * scale:.0f}pt; }}
QLabel#paneHeading {{ color: {TEXT}; font-weight: 600; padding-top: 6px; }}
QLabel#tilePicture {{ border: 1px solid {GRID}; }}
"""


STYLE_SHEET = style_sheet()


def configure_pyqtgraph() -> None:
    # Antialiasing is switched on per curve where it shows; the scatter of samples stays fast.
    pg.setConfigOptions(antialias=False, foreground=TEXT, background=BACKGROUND)
