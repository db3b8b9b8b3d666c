"""Screens: start, loading, work (the steps), help, and the dialogs."""
