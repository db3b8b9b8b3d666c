"""Widgets shared by the screens: step list, findings panel, bar chart."""
