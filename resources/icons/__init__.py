"""BlurLab's icon, drawn by make_icon.py, shipped as package data."""
