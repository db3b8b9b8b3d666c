"""Linkwright's terminal UI: screens and widgets over the `negotiation` core.

The core decides everything (what is relevant, what conflicts, what the
draft says); this package shows it and turns key presses into edits of the
session. Nothing here holds a rule of its own.
"""
