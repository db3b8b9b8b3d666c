"""Annex I entries the instrument cannot yet state as a party's law.

Annex I states every essential criterion by reference to each party's legislation. Where
the tool has no confirmed legislation for a party, or no confirmed figure for a rule the
row states, the annex prints a bracketed placeholder rather than a guess. A bracket in a
binding annex is a point the delegation concerned must settle before the text is tabled,
so each one is a finding, naming the party and the element, with the one-key fix where
the tool holds a figure that only needs confirming.
"""

from __future__ import annotations

from collections.abc import Iterator

from negotiation.checks.registry import rule
from negotiation.checks.rules_lint import lint_draft
from negotiation.drafting.criteria import CRITERIA, TO_BE_STATED, annex_cells, label, show
from negotiation.findings import Finding, Remedy, set_party_param
from negotiation.profiles import Legislation
from negotiation.session import Negotiation

RULE = "lint.criteria-unstated"


def _remedies(neg: Negotiation, party: str, parameter: str, on_file: object) -> tuple[
        Remedy, ...]:
    """Confirming the figure on file is a fix the tool can apply; a figure or a law
    nobody has on file must come from the delegation, so no value is invented."""
    if on_file is None:
        return ()
    name = neg.party_short(party)
    return (set_party_param(
        party, parameter, on_file,
        f"confirm {name}'s {label(parameter)} as {show(on_file)} (set it in the session's "
        "overrides, with its source)"),)


READS = (*dict.fromkeys(p for c in CRITERIA for p in c.reads),
         *(f"legislation.{name}" for name in Legislation.model_fields))
"""Every figure a cell states, and every citation of a party's law."""


@rule(RULE, topic="essential_criteria", reads=READS)
def criteria_unstated(neg: Negotiation) -> Iterator[Finding]:
    """An Annex I entry shown as a placeholder: the party's rule is not stated."""
    cells = annex_cells(neg)
    # While provisions are still open the text is far from tabling, and a blank Annex I
    # cell is a reminder among many (info); once everything else is settled, it is what
    # stands between the delegation and a text it can table (warning).
    draft = lint_draft(neg)
    severity = "warning" if draft is not None and draft.open_count() == 0 else "info"
    for criterion in CRITERIA:
        for party in neg.party_ids:
            cell = cells[(party, criterion.element)]
            if cell.missing is None:
                continue
            name = neg.party_short(party)
            if cell.missing.startswith("legislation."):
                fix = (f"name {name}'s legislation in the session's overrides "
                       f"(`legislation: {{cited_as: …, acts: […]}}`, with a source)")
            elif cell.on_file is not None:
                fix = "confirm the figure on file, or state the rule"
            else:
                fix = f"set {name}'s {label(cell.missing)} in the session's overrides"
            yield Finding(
                rule=RULE, severity=severity, topic="essential_criteria",
                message=f"Annex I shows {name}'s rule for “{criterion.element}” as "
                        f"{TO_BE_STATED}: {cell.why}; a binding annex cannot be tabled "
                        f"with the party's own law left blank: {fix}",
                parties=(party,), parameters=(f"party:{party}.{cell.missing}",),
                remedies=_remedies(neg, party, cell.missing, cell.on_file))
