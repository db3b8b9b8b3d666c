"""Final clauses that fit the drafting tradition and the date of the text.

The house style (negotiation/drafting/styles.py) writes the opening and the closing;
the clauses chosen write the final articles. These rules read both on the built
draft, as a lawyer of that tradition would before the text is tabled: an agreement
of the Union authentic in the languages the Union used on the date of the text, a
sub-national agreement that takes effect rather than enters into force, a domestic
act with no authentic-language clause or joint body of two systems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from negotiation.checks.registry import rule
from negotiation.checks.rules_lint import lint_draft, passages
from negotiation.drafting import styles
from negotiation.drafting.builder import text_date
from negotiation.findings import Finding, Remedy
from negotiation.languages import language_name
from negotiation.session import Negotiation

RULE = "lint.final-clauses"


def _finding(message: str, topic: str, severity: str = "warning",
             remedies: tuple[Remedy, ...] = ()) -> Finding:
    return Finding(rule=RULE, severity=severity, topic=topic,  # type: ignore[arg-type]
                   message=message, remedies=remedies)


def _languages_chosen(neg: Negotiation) -> list[str] | None:
    chosen = neg.chosen().get("languages.authentic")
    if chosen is None:
        return None
    value = chosen[1].get("languages")
    return [str(v) for v in value] if isinstance(value, list) else None


def _eu_languages_on_date(neg: Negotiation) -> list[str]:
    names = [language_name(code) for code in styles.eu_languages(text_date(neg))]
    for pid in neg.party_ids:
        for code in neg.systems[pid].parameters.languages or []:
            if language_name(code) not in names:
                names.append(language_name(code))
    return names


@rule(RULE, topic="languages")
def final_clauses(neg: Negotiation) -> Iterator[Finding]:
    """Final clauses that do not fit the tradition or the date of the text."""
    draft = lint_draft(neg)
    if draft is None:
        return
    style = styles.STYLES.get(draft.style)
    if style is None:
        return
    topics = {article.topic for article in draft.body}
    on = text_date(neg)
    date = f"{on.day} {on:%B %Y}"
    listed = _languages_chosen(neg)
    if style.id == "eu-agreement" and listed is not None and "languages" in topics:
        expected = _eu_languages_on_date(neg)
        missing = [name for name in expected if name not in listed]
        extra = [name for name in listed if name not in expected]
        if missing or extra:
            said = []
            if missing:
                said.append("missing " + ", ".join(missing))
            if extra:
                said.append("not then a language of the Union or of a party: "
                            + ", ".join(extra))
            yield _finding(
                f"an agreement of the Union is authentic in every language in which the "
                f"Union concluded agreements on the date of the text ({date}), and in the "
                f"partners' own: the languages article is {'; '.join(said)}", "languages")
    if style.id in ("au-instrument", "regulation"):
        for topic, what in (("languages", "an authentic-language clause"),
                            ("institutions", "a body of the two systems")):
            if topic in topics and _establishes_joint_body(neg, topic):
                yield _finding(
                    f"a domestic act is its author's law alone: it has no {what}; leave "
                    "the provision to the Act or the general law (“not regulated by this "
                    "instrument”)", topic)
    if style.id == "north-american" or neg.form == "memorandum":
        for passage in passages(neg):
            if re.search(r"\benters? into force\b|\bratif", passage.words):
                yield _finding(
                    f"{passage.where} speaks of entry into force or ratification, but a "
                    "non-binding instrument between agencies takes effect on signature: "
                    "choose a clause that says so", passage.topic)
                break
    if style.id in ("eu-agreement", "treaty") and neg.form in ("treaty", "hybrid") \
            and "entry_into_force" not in topics:
        yield _finding("a treaty states how it enters into force (ratification or approval "
                       "by each party's own procedures, then a date): the final clauses "
                       "have no entry-into-force article", "entry_into_force")


def _establishes_joint_body(neg: Negotiation, topic: str) -> bool:
    """Whether the clauses chosen under `topic` draft more than a domestic act has: an
    authentic-language clause, or a committee of two systems (a competent authority of
    the recognising party is its own administration, not a joint body)."""
    if topic == "languages":
        return True
    return any(clause.names for pid, (clause, _v) in neg.chosen().items()
               if pid.startswith(f"{topic}."))
