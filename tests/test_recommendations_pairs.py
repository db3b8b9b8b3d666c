"""What Linkwright recommends never leads straight to an error.

For every ordered pair of the built-in systems: a blank session as the start screen
makes it (two parties, nothing decided), then what the walk recommends, applied as a
negotiator would apply it by pressing Enter on the ★ option: the kind of link (its
linkage, recognition clause and any form it forces) and the legal form. Every error
after that must have been there before: the recommendation itself caused none.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from negotiation import edits
from negotiation.advice import form_options, readiness, recommend_linkage
from negotiation.checks import run_checks
from negotiation.profiles import builtin_profiles
from negotiation.session import Session, assemble
from negotiation.yamlload import parse_text
from tui.opening import blank_session_text
from tui.panes.readiness import link_edit

SYSTEMS = sorted(builtin_profiles())
PAIRS = list(itertools.permutations(SYSTEMS, 2))


def blank_session(systems: tuple[str, ...], overrides: dict[str, Any] | None = None) -> Session:
    """The session the start screen writes for these systems, parties' overrides added."""
    data = parse_text(blank_session_text(list(systems)), "blank.yaml").data
    for party in data["parties"]:
        party["overrides"] = (overrides or {}).get(party["system"], {})
    return Session.model_validate(data)


class _App:
    """What `link_edit` needs of the app: the session's folder, and somewhere to notify."""

    def __init__(self) -> None:
        self.doc = SimpleNamespace(path=Path("blank.yaml"), extra_libraries=())

    def call_later(self, *_: object, **__: object) -> None:
        pass

    def notify(self, *_: object, **__: object) -> None:
        pass


def apply_recommendations(session: Session) -> Session:
    """The recommended kind of link (as the readiness step applies it), then the
    recommended legal form (as the form step does)."""
    neg = assemble(session)
    option = recommend_linkage(neg).recommended
    young = [r for r in readiness(neg) if r.maturity in ("new", "unknown")]
    first = young[0].name if len(young) == 1 else None  # as the readiness step passes it
    changed = link_edit(_App(), session, option, first)
    recommended_form = form_options(assemble(changed)).recommended
    return edits.set_form(changed, recommended_form)


def errors(session: Session) -> dict[tuple[str, str, tuple[str, ...]], str]:
    """Error findings by rule, topic and parties, with their messages (for the report)."""
    return {(f.rule, f.topic, f.parties): f.message
            for f in run_checks(assemble(session)) if f.severity == "error"}


def caused_by_recommendation(session: Session) -> list[str]:
    before = errors(session)
    after = errors(apply_recommendations(session))
    return [f"{rule} [{topic}] {message}"
            for (rule, topic, parties), message in after.items()
            if (rule, topic, parties) not in before]


def test_every_pair_of_built_in_systems_is_covered() -> None:
    assert len(SYSTEMS) == 11
    assert len(PAIRS) == 110


def test_the_recommendation_for_any_pair_of_built_in_systems_causes_no_error() -> None:
    caused = {f"{a} + {b}": found for a, b in PAIRS
              if (found := caused_by_recommendation(blank_session((a, b))))}
    assert not caused, "\n".join(f"{pair}: {'; '.join(found)}" for pair, found in caused.items())


@pytest.mark.parametrize("recognising_ceiling", ["ch-ets", "eu-ets"])
def test_a_recommended_one_way_link_causes_no_error(recognising_ceiling: str) -> None:
    # No built-in pair is advised a one-way link today; a one-sided ceiling is.
    session = blank_session(("eu-ets", "ch-ets"),
                            {recognising_ceiling: {"price_ceiling": 60}})
    assert recommend_linkage(assemble(session)).recommended.linkage == "unilateral"
    assert apply_recommendations(session).form == "regulation"
    assert caused_by_recommendation(session) == []
