"""Rules on the legal form: who may sign what, the voice of the text, and what a
multilateral instrument needs (a depositary; a way in for further systems).

A sub-national government generally cannot make a treaty (the US sued
California over the Québec agreement; the court found it was neither a
treaty nor a compact because each side could amend or leave). A memorandum
binds no one, so it cannot carry compulsory adjudication or "shall".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from negotiation.checks.common import chosen_clause, fitting_choices, names
from negotiation.checks.registry import rule
from negotiation.findings import Finding, choose, set_form, set_linkage
from negotiation.session import ACCESSION_TOPIC, Negotiation, ProposedText

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


# -- the final clauses of a multilateral instrument --------------------------------

DEPOSITARY = "depositary.designation"


@rule("form.depositary-missing", topic="depositary")
def depositary_missing(neg: Negotiation) -> Iterator[Finding]:
    """A multilateral treaty names its depositary.

    A warning, not an error: the Vienna Convention (Art. 76) lets the negotiating
    states designate the depositary in the treaty "or in some other manner", so a
    treaty without the article is incomplete rather than wrong, and a delegation that
    designates it otherwise can acknowledge the warning with a note saying so. A
    memorandum is deposited nowhere, so it is not asked of one. Where a chosen clause
    relies on the depositary (entry into force on deposit, accession), its `requires`
    say so too: pending while the designation is open, an error if it cannot be made."""
    if neg.linkage != "multilateral" or neg.form not in ("treaty", "hybrid"):
        return
    asked = DEPOSITARY in {p.id for p in neg.relevant_provisions()}
    if asked and DEPOSITARY in neg.chosen():
        return
    needs = (f"a multilateral {neg.form} needs a depositary to keep its original texts and "
             "receive the instruments of ratification and accession and every notice")
    if asked:
        yield Finding(
            rule="form.depositary-missing", severity="warning", topic="depositary",
            message=f"{needs}, and {DEPOSITARY} is still open: name one (for a small group, "
                    "usually the government of one signatory)",
            remedies=tuple(fitting_choices(neg, DEPOSITARY, [])))
        return
    yield Finding(
        rule="form.depositary-missing", severity="warning",
        topic="depositary" if "depositary" in neg.library.topics else "objective",
        message=f"{needs}, and no clause of the library designates one in a multilateral "
                f"{neg.form}: add one to your library, or designate the depositary in some "
                "other manner (Vienna Convention, Art. 76) and acknowledge this warning")


@rule("form.accession-missing", topic="accession")
def accession_missing(neg: Negotiation) -> Iterator[Finding]:
    """A link open to further systems says how one joins.

    Whether it is open is a decision of the session (`open_to_accession:`, else open
    exactly when multilateral), not something read from the third-links clause: that
    clause governs a party's own link with a further system, a side link the others
    may accept or leave, while accession makes the further system a party to this
    instrument. A warning for the reasons the depositary's is one: a further system
    can always join by a new agreement among all, as Ontario joined in 2017."""
    said = neg.session.open_to_accession
    if neg.linkage == "unilateral":
        if said:
            recognising = neg.recognising()
            who = neg.party_short(recognising) if recognising else "the recognising party"
            yield Finding(
                rule="form.accession-missing", severity="warning", topic="accession",
                message=f"the session says the link is open to further systems, but a "
                        f"one-way link is {who}'s own regulation: no system accedes to it "
                        "(another system is recognised by another regulation); remove "
                        "`open_to_accession: true`")
        return
    if not neg.open_to_accession():
        return
    chosen = neg.chosen()
    asked = [p for p in neg.relevant_provisions() if p.topic == ACCESSION_TOPIC]
    undecided = [p for p in asked if p.id not in chosen]
    if asked and not undecided:
        return
    why = ("the session says the link is open to further systems" if said else
           "a multilateral link is open to further systems (unless the session says "
           "`open_to_accession: false`)")
    if undecided:
        first = undecided[0]
        yield Finding(
            rule="form.accession-missing", severity="warning", topic=first.topic,
            message=f"{why}, and the instrument does not yet say how one joins: decide "
                    f"{', '.join(p.id for p in undecided)} ({first.title})",
            remedies=tuple(fitting_choices(neg, first.id, [])))
        return
    yield Finding(
        rule="form.accession-missing", severity="warning",
        topic=ACCESSION_TOPIC if ACCESSION_TOPIC in neg.library.topics else "objective",
        message=f"{why}, but no accession clause of the library fits a {neg.linkage} "
                f"{neg.form}: a further system could join only by a new agreement among "
                "all; add an accession clause to your library, or say "
                "`open_to_accession: false`")
