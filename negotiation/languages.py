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
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    name = locale.get_language_name(in_language) or code
    return name[:1].upper() + name[1:]


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
