"""Helpers of the window with no state of the app: colours and style, the redraw throttle, what is
remembered between launches, and grabbing a widget's pixels."""
