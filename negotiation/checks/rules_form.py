"""Rules on the legal form: who may sign what, and the voice of the text.

A sub-national government generally cannot make a treaty (the US sued
California over the Québec agreement; the court found it was neither a
treaty nor a compact because each side could amend or leave). A memorandum
binds no one, so it cannot carry compulsory adjudication or "shall".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from negotiation.checks.common import chosen_clause, names
from negotiation.checks.registry import rule
from negotiation.findings import Finding, choose, set_form, set_linkage
from negotiation.session import Negotiation, ProposedText

BINDING_VERBS = re.compile(r"\b(shall|must|undertakes?|is obliged|are obliged|obligated)\b",
                           re.IGNORECASE)


@rule("form.subnational-treaty", topic="objective", reads=("level",))
def subnational_treaty(neg: Negotiation) -> Iterator[Finding]:
    """A sub-national government cannot sign a treaty."""
    if neg.form not in ("treaty", "hybrid"):
        return
    subnational = [p for p in neg.party_ids
                   if neg.systems[p].parameters.level == "subnational"]
    if not subnational:
        return
    yield Finding(
        rule="form.subnational-treaty", severity="error", topic="objective",
        message=f"{names(neg, subnational)} {'is a' if len(subnational) == 1 else 'are'} "
                f"sub-national government{'s' if len(subnational) > 1 else ''} and generally "
                f"cannot make a {neg.form}: draft a memorandum, or let each side recognise the "
                "other's units by its own domestic regulation (reciprocal regulations, one per "
                "side)", parties=tuple(subnational),
        remedies=(set_form("memorandum", "draft a memorandum of understanding"),))


@rule("form.binding-disputes-in-memorandum", topic="disputes")
def binding_disputes(neg: Negotiation) -> Iterator[Finding]:
    """A memorandum cannot send disputes to binding adjudication."""
    chosen = chosen_clause(neg, "disputes.procedure")
    if neg.form != "memorandum" or chosen != "disputes.procedure.committee_then_arbitration":
        return
    yield Finding(
        rule="form.binding-disputes-in-memorandum", severity="error", topic="disputes",
        message="binding arbitration in a memorandum: soft law settles differences by "
                "consultation, not adjudication", clauses=(chosen,),
        remedies=(choose("disputes.procedure", "disputes.procedure.consultation",
                         "settle differences by consultation"),
                  set_form("treaty", "make the instrument a treaty")))


@rule("form.unilateral-agreement", topic="objective")
def unilateral_agreement(neg: Negotiation) -> Iterator[Finding]:
    """A unilateral link is the recognising party's own act, not an agreement."""
    if neg.linkage != "unilateral" or neg.form == "regulation":
        return
    recognising = neg.recognising()
    yield Finding(
        rule="form.unilateral-agreement", severity="error", topic="objective",
        message=f"a unilateral link is drafted as a {neg.form}: it is "
                f"{neg.party_short(recognising) if recognising else 'the recognising party'}'s "
                "own domestic act recognising the other system's units",
        parties=(recognising,) if recognising else (),
        remedies=(set_form("regulation", "draft the recognising party's regulation"),
                  set_linkage("bilateral", why="make the link two-way")))


@rule("voice.nonbinding-missing", topic="objective")
def nonbinding_missing(neg: Negotiation) -> Iterator[Finding]:
    """Soft-law text needs a non-binding wording; the renderer never swaps voices."""
    for provision_id, (clause, _values) in neg.chosen().items():
        topic = neg.library.provisions[provision_id].topic
        if neg.voice_for_topic(topic) != "nonbinding" or clause.text.nonbinding is not None:
            continue
        alternatives = [c for c in neg.library.fitting_clauses(provision_id, neg.form,
                                                               neg.linkage)
                        if c.text.nonbinding is not None]
        yield Finding(
            rule="voice.nonbinding-missing", severity="error", topic=topic,
            message=f"'{clause.title}' ({clause.id}) has no non-binding text, and "
                    f"{provision_id} is drafted in the non-binding voice",
            clauses=(clause.id,),
            remedies=tuple(choose(provision_id, c.id, f"choose '{c.title}'")
                           for c in alternatives[:3]))


@rule("voice.binding-verb-in-proposal", topic="objective")
def binding_verb_in_proposal(neg: Negotiation) -> Iterator[Finding]:
    """A party's proposed text for soft law should not say 'shall'."""
    for party_id, by_provision in neg.session.positions.items():
        for provision_id, position in by_provision.items():
            if not isinstance(position, ProposedText):
                continue
            provision = neg.library.provisions[provision_id]
            if neg.voice_for_topic(provision.topic) != "nonbinding":
                continue
            match = BINDING_VERBS.search(position.text)
            if match:
                yield Finding(
                    rule="voice.binding-verb-in-proposal", severity="warning",
                    topic=provision.topic,
                    message=f"{neg.party_short(party_id)}'s proposed text for {provision_id} "
                            f"says '{match.group(0)}', a binding verb, in a non-binding "
                            "text", parties=(party_id,))


@rule("conditions.contradicted", topic="conditions")
def conditions_contradicted(neg: Negotiation) -> Iterator[Finding]:
    """The conditions clause must match the session's list of pre-linking conditions."""
    chosen = chosen_clause(neg, "conditions.precondition")
    listed = neg.session.conditions
    if chosen == "conditions.precondition.none" and listed:
        what = "; ".join(f"{neg.party_short(c.party)}: {c.what}" for c in listed)
        yield Finding(
            rule="conditions.contradicted", severity="error", topic="conditions",
            message=f"the text says the link waits for no condition, yet {len(listed)} "
                    f"pre-linking condition{'s are' if len(listed) > 1 else ' is'} listed "
                    f"({what})", parties=tuple(dict.fromkeys(c.party for c in listed)),
            clauses=(chosen,),
            remedies=(choose("conditions.precondition", "conditions.precondition.listed",
                             "make the link wait for the listed conditions"),))
    elif chosen == "conditions.precondition.listed" and not listed:
        yield Finding(
            rule="conditions.contradicted", severity="warning", topic="conditions",
            message="the text makes the link wait for listed conditions, but none is listed: "
                    "add the conditions, or say the link waits for none",
            clauses=(chosen,),
            remedies=(choose("conditions.precondition", "conditions.precondition.none",
                             "the link waits for no condition"),))
