"""A blank session: the parties' systems chosen, nothing decided yet.

Both the TUI's start screen and `linkwright new --systems` start a link no preset
covers; they share this so that a session begun at the command line is the same
file the start screen would have written.
"""

from __future__ import annotations

from typing import Any

from negotiation.errors import LinkwrightError, did_you_mean

# The party ids the presets use where a system's id is not already short: a negotiator
# who reads `ca` in the eu-ch or ca-qc presets expects `ca` in a session of their own.
PARTY_IDS = {
    "australia-cpm": "au",
    "california": "ca",
    "china-ets": "cn",
    "k-ets": "kr",
    "ontario": "on",
    "quebec": "qc",
}

LINKAGE_TYPES = ("bilateral", "multilateral", "unilateral")


def party_id_for(system_id: str, used: set[str]) -> str:
    """A short party id from a system id, unique within the session: 'eu-ets' -> 'eu',
    'california' -> 'ca'; a second party on the same system gets 'eu2'."""
    base = PARTY_IDS.get(system_id) or system_id.removesuffix("-ets").removesuffix("-cpm")[:24]
    base = base or "party"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}{number}", number + 1
    used.add(candidate)
    return candidate


def file_stem(systems: list[str]) -> str:
    """A new session's file name from its parties' short ids, as the presets name theirs:
    China and Korea give 'cn-kr' (not 'china-k', cut from the system ids)."""
    used: set[str] = set()
    return "-".join(party_id_for(s, used) for s in systems)[:40].strip("-") or "session"


def _linkage(systems: list[str], parties: list[dict[str, str]], linkage: str | None,
             recognising: str | None) -> dict[str, str]:
    """The kind of link: as given, unilateral when a recognising system is named, or
    from the number of systems; a unilateral link names its recognising party."""
    if linkage is None:
        linkage = "unilateral" if recognising else (
            "bilateral" if len(systems) == 2 else "multilateral")
    if linkage not in LINKAGE_TYPES:
        raise LinkwrightError(f"unknown kind of link '{linkage}'"
                              + did_you_mean(linkage, LINKAGE_TYPES)
                              + f"; one of {', '.join(LINKAGE_TYPES)}")
    if linkage != "unilateral":
        if recognising:
            raise LinkwrightError("a recognising system belongs to a unilateral link only; "
                                  "drop it or choose the unilateral link")
        return {"type": linkage}
    if not recognising:
        raise LinkwrightError("a unilateral link names the system that recognises the "
                              f"other's units: one of {', '.join(systems)}")
    by_system = {p["system"]: p["id"] for p in parties}
    by_party = {p["id"]: p["id"] for p in parties}
    party = by_system.get(recognising) or by_party.get(recognising)
    if party is None:
        raise LinkwrightError(f"the recognising system '{recognising}' is not one of the "
                              "link's systems" + did_you_mean(recognising, systems)
                              + f"; one of {', '.join(systems)}")
    return {"type": "unilateral", "recognising": party}


def blank_session_text(systems: list[str], title: str = "", year: int | None = None,
                       linkage: str | None = None, recognising: str | None = None,
                       form: str | None = None) -> str:
    """A new session for these systems: linkage as given or from their number, the
    legal form as given or the one the advice recommends for them, nothing decided."""
    from negotiation.advice import form_options
    from negotiation.profiles import builtin_profiles, get_profile
    from negotiation.session import Session, assemble, dump_session

    if len(systems) < 2:
        raise LinkwrightError("a link needs at least two systems")
    profiles = builtin_profiles()
    for system in systems:
        get_profile(system)  # a clear error (with a did-you-mean) for an unknown id
    used: set[str] = set()
    parties = [{"id": party_id_for(s, used), "system": s} for s in systems]
    names = [profiles[s].party.short for s in systems]
    data: dict[str, Any] = {
        "linkwright": 1,
        "title": title or _title(names),
        "parties": parties,
        "linkage": _linkage(systems, parties, linkage, recognising),
        "form": form or "treaty",
        "reporting_currency": profiles[systems[0]].parameters.get("currency") or "EUR",
    }
    if year is not None:
        data["year"] = year
    session = Session.model_validate(data)
    neg = assemble(session)  # refuses what no session may hold, before anything is written
    if form is None:
        session = session.model_copy(update={"form": form_options(neg).recommended})
        neg = assemble(session)
    languages = _proposed_languages(neg)
    update: dict[str, Any] = {"languages": languages}
    if not title:  # our own title: we can give it in each language we render too
        update["versions"] = _titles(assemble(session.model_copy(update=update)))
    return dump_session(session.model_copy(update=update))


def _title(names: list[str]) -> str:
    from negotiation.drafting.phrases import ENGLISH, fill
    from negotiation.templating import join_words

    return fill(ENGLISH["new_title"], kind="Agreement", systems="emissions trading systems",
                names=join_words(names))


def _titles(neg: Any) -> dict[str, Any]:
    """The new session's title in each language the library renders it in: "Accord sur la
    liaison des systèmes de plafonnement et d'échange de droits d'émission de la
    Californie et du Québec", with the usage's own term and the names' forms."""
    from negotiation.checks.rules_languages import rendered_languages
    from negotiation.drafting.builder import name_form, party_names_in
    from negotiation.drafting.phrases import phrases_for
    from negotiation.session import SessionVersion
    from negotiation.templating import join_words
    from negotiation.translations import base, term_in

    titles = {}
    for code in rendered_languages(neg):
        say = phrases_for(neg.library, code)
        systems = term_in(neg.library, "emissions trading system", code)
        forms = [party_names_in(neg, p, code) for p in neg.party_ids]
        if systems is None or any(f is None for f in forms) or "new_title" not in say.words:
            continue  # the check names what is missing; no half-translated title
        case = "gen" if base(code) == "de" else "de"
        names = [name_form(f, case, code) for f in forms if f]
        titles[code] = SessionVersion(title=say(
            "new_title", kind=say(f"kind_{neg.form}"), systems=systems.other,
            names=join_words(names, say("and"))))
    return titles


def _proposed_languages(neg: Any) -> list[str] | None:
    """The instrument's authentic languages as its parties' profiles and house style
    propose them (an agreement of the Union: every language the Union concludes in);
    None when a party's languages are not known."""
    from negotiation.drafting.builder import authentic_languages
    from negotiation.drafting.styles import choose_style

    return authentic_languages(neg, choose_style(neg)) or None
