"""Numbers and dates in the versions: written from the CLDR facts kept in the cache
exactly as Babel writes them, and without loading Babel once those facts are kept."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from negotiation import cldr

# The languages of the EU's instruments, the usages the presets use, and some others.
LANGUAGES = ["bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
             "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "fr-CA", "de-AT",
             "mi", "ko", "zh", "ja", "en-NZ"]


def babel_number(value: float, decimals: int | None, language: str) -> str:
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    elif isinstance(value, float) and not value.is_integer():
        pattern = "#,##0.##"
    else:
        pattern = "#,##0"
    return format_decimal(value, format=pattern, locale=language.replace("-", "_"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kept_forms_are_the_languages_own(language: str) -> None:
    forms = cldr.forms_for(language)
    assert forms.group is not None and forms.months is not None, \
        f"{language}: written by Babel every time"


@given(value=st.one_of(st.integers(-10**12, 10**12),
                       st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)),
       decimals=st.one_of(st.none(), st.integers(0, 6)),
       language=st.sampled_from(LANGUAGES))
def test_numbers_are_written_as_babel_writes_them(value: float, decimals: int | None,
                                                  language: str) -> None:
    assert cldr.number(value, decimals, language) == babel_number(value, decimals, language)


@given(date=st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)),
       language=st.sampled_from(LANGUAGES))
def test_dates_are_written_as_babel_writes_them(date: dt.date, language: str) -> None:
    assert cldr.long_date(date, language) == \
        format_date(date, format="long", locale=language.replace("-", "_"))


@given(value=st.floats(-999_000, 999_000, allow_nan=False, allow_infinity=False),
       decimals=st.one_of(st.none(), st.integers(0, 6)),
       language=st.sampled_from(["de-CH", "fr-CH", "it-CH"]))
def test_swiss_numbers_below_a_million_are_babels(value: float, decimals: int | None,
                                                  language: str) -> None:
    assert cldr.number(value, decimals, language) == babel_number(value, decimals, language)


def test_a_swiss_million_keeps_its_groups() -> None:
    # Babel reads the two apostrophes of 1'234'567 as a quotation and drops them.
    assert cldr.number(1234567, None, "de-CH") == "1'234'567"
    assert cldr.number(1000.5, None, "de-CH") == babel_number(1000.5, None, "de-CH")


def test_a_language_the_cldr_does_not_know_is_left_to_babel() -> None:
    assert cldr.forms_for("zz") == cldr.Forms(None, None, None)
    assert cldr.forms_for("not a code") == cldr.Forms(None, None, None)


def test_a_language_whose_forms_do_not_reproduce_babel_is_written_by_babel(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cldr, "_babel_number", lambda *_: "1 2 3")
    monkeypatch.setattr(cldr, "_babel_date", lambda *_: "a date")
    assert cldr._forms_from_babel("fr") == cldr.Forms(None, None, None)


def test_a_check_with_the_forms_kept_loads_no_cldr_data(tmp_path: Path) -> None:
    """The French and German versions of eu-ch are drafted for the check without Babel."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = ("import sys\n"
              "from negotiation.session import load_preset\n"
              "from negotiation.checks import run_checks\n"
              "run_checks(load_preset('eu-ch'))\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n")
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True)
    assert "babel.numbers" in first.stdout  # the forms are asked of Babel once
    again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True)
    assert again.stdout.strip() == "[]"
