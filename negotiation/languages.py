"""Languages by name: the codes profiles use (`fr-CA`, `de-CH`, `mi`) as an
instrument writes them ("French", "German", "Māori").

Names come from the Unicode CLDR through Babel rather than a table of our own,
so every code a profile may carry has its name, and the same data will give the
names in other languages when the instrument has versions in them.
"""

from __future__ import annotations

from functools import cache


@cache
def language_name(code: str, in_language: str = "en") -> str:
    """The name of the language of `code` (region dropped: 'fr-CA' is French)."""
    names = _names(in_language)
    name = names.get(code.replace("_", "-").split("-")[0])
    if not name:
        return code  # no such language: the code as given
    return name[:1].upper() + name[1:]


@cache
def _names(in_language: str) -> dict[str, str]:
    """Language code -> name, in `in_language`. Looked up in that language's data only
    (loading each named language's own data too cost 20 ms for the EU's 23), and kept
    in the user's cache (negotiation.cache) for the installed Babel: reading CLDR's
    English was a tenth of a `check`. No names for a language the CLDR does not know."""
    def names() -> dict[str, str]:
        import babel

        try:
            return dict(babel.Locale.parse(in_language.replace("-", "_")).languages)
        except (ValueError, babel.UnknownLocaleError):
            return {}

    if not in_language.replace("-", "").replace("_", "").isalnum():
        return names()  # not a name to give a cache file
    from negotiation.cldr import babel_cached

    return babel_cached(f"languages-{in_language}", names, dict)


def language_code(name: str) -> str | None:
    """The code of a language named in English ("French" -> "fr"), or None."""
    return _codes().get(name.strip().lower())


@cache
def _codes() -> dict[str, str]:
    """English name, lower case -> code; the first code of a name, as CLDR orders them
    (a dict for the lookup: versions look up every language an instrument names)."""
    codes: dict[str, str] = {}
    for code, english in _names("en").items():
        if "_" not in code:
            codes.setdefault(english.lower(), code)
    return codes


def proposed_languages(per_party: list[list[str] | None]) -> list[str] | None:
    """The parties' official languages together, by name, in the order the parties
    list them: what an instrument between them is normally authentic in. None when
    a party's languages are not known."""
    if not per_party or any(codes is None for codes in per_party):
        return None
    names: list[str] = []
    for codes in per_party:
        for code in codes or []:
            name = language_name(code)
            if name not in names:
                names.append(name)
    return names or None
