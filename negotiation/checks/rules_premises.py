"""One rule for every clause's premises: `clause.premise`.

A design rule compares the parties' systems until a clause that addresses a
difference is chosen, then falls silent: the clause settles it. What the
clause's text assumes of each party's system (`assumes:`, see
`negotiation.premises`) is tested here, for every chosen clause against every
party, so that a system changed after the clause was agreed, or a clause
chosen over a system it does not fit, cannot pass unseen.

A contradicted premise is an error naming the clause, the party, the party's
value and the clause's; a value the profile does not know is a warning asking
for confirmation; a clause about a feature no party has is a warning naming
the clause that fits instead. Where an older rule already reports the
contradiction as an error under its own id (`reported_by:`), that id stays
and this rule only asks about unknown values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from negotiation.checks.registry import rule
from negotiation.findings import Finding, Remedy, choose, set_party_param, set_provision_param
from negotiation.library import Clause
from negotiation.premises import NONE, Premise, Verdict, judge, resolve_operand, session_year
from negotiation.session import Negotiation

RULE = "clause.premise"

_LABELS = {
    "annual_reduction_pct": "annual cap reduction (per cent)",
    "offsets.limit_pct": "offset limit (per cent)",
    "offsets.allowed": "acceptance of offset credits",
    "auctions.reserve_price": "auction reserve price",
    "market_stability_reserve": "market stability reserve",
    "cost_containment_reserve": "cost containment reserve",
    "verification.third_party": "third-party verification",
    "mrv.reporting_since": "first year of emissions reporting",
    "penalty.make_good": "make-good obligation",
    "penalty.per_tonne": "penalty per tonne",
    "compliance_period_years": "compliance period (years)",
    "cap_type": "type of cap",
    "operational_since": "first year of operation",
}


def label(parameter: str) -> str:
    """A system parameter as a negotiator reads it ('offset limit (per cent)')."""
    return _LABELS.get(parameter, parameter.split(".")[-1].replace("_", " "))


def shown(value: Any) -> str:
    if value is None:
        return "not known"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value == NONE or value == []:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _wanted(premise: Premise, target: Any) -> str:
    """What the premise wants of a party's value, in words."""
    comparison = premise.comparison
    if comparison == "known":
        return "known and in place"
    if comparison == "same":
        return f"the same as the others' ({shown(target)})"
    if comparison == "one_of":
        return "one of " + ", ".join(shown(t) for t in target or [])
    words = {"is": "", "is_not": "not ", "at_most": "at most ", "at_least": "at least "}
    return words[comparison] + shown(target)


def _by_role(neg: Negotiation, premise: Premise) -> list[str]:
    role = premise.role
    if role in ("every", "any"):
        return list(neg.party_ids)
    party = neg.recognising() if role == "recognising" else neg.recognised()
    return [party] if party else []


@rule(RULE, topic="objective")
def clause_premises(neg: Negotiation) -> Iterator[Finding]:
    """A chosen clause's text must be true of every party's system (its `assumes:`)."""
    year = session_year(neg.session.year,
                        neg.session.round.date if neg.session.round else None)
    needed = {p.id for p in neg.relevant_provisions()}
    unknown: dict[tuple[str, str], list[tuple[Clause, Premise, Verdict]]] = {}
    for provision, (clause, values) in neg.chosen().items():
        if provision not in needed:
            continue  # not drafted: its text asserts nothing
        for premise in clause.assumes:
            parties = _by_role(neg, premise)
            if not parties:
                continue
            target = _common(neg, premise, parties) if premise.same else \
                resolve_operand(premise, values, year)
            verdicts = {p: judge(premise, neg.systems[p].parameters.get(premise.parameter),
                                 target) for p in parties}
            if premise.role == "any":
                yield from _any(neg, clause, premise, verdicts)
                continue
            yield from _each(neg, clause, premise, verdicts)
            for party, verdict in verdicts.items():
                if verdict.holds is None and verdict.value is None:
                    unknown.setdefault((party, premise.parameter), []).append(
                        (clause, premise, verdict))
    for (party, parameter), relying in unknown.items():
        yield _unknown(neg, party, parameter, relying)


def _common(neg: Negotiation, premise: Premise, parties: list[str]) -> Any:
    """For `same:`, the value the parties' known values have most often (the first
    party's on a tie): the others are measured against it."""
    known = [neg.systems[p].parameters.get(premise.parameter) for p in parties]
    known = [v for v in known if v is not None]
    if not known:
        return None
    keyed = [repr(sorted(map(str, v)) if isinstance(v, list) else v) for v in known]
    best = max(range(len(known)), key=lambda i: (keyed.count(keyed[i]), -i))
    return known[best]


def _unknown(neg: Negotiation, party: str, parameter: str,
             relying: list[tuple[Clause, Premise, Verdict]]) -> Finding:
    """One warning per party and figure, however many chosen clauses rely on it."""
    clause, premise, verdict = relying[0]
    topic = neg.library.provisions[clause.provision].topic
    if len(relying) == 1:
        subject = _subject(neg, clause, premise, verdict.target)
    else:
        titles = ", ".join(f"'{c.title}'" for c, _, _ in relying)
        subject = f"{titles} assume every party's {label(parameter)} is known"
    return Finding(
        rule=RULE, severity="warning", topic=topic,
        message=f"{subject}; {neg.party_short(party)}'s is not known: confirm it (an "
                "override with its source) before the text relies on it",
        parties=(party,), clauses=tuple(c.id for c, _, _ in relying),
        parameters=(f"party:{party}.{parameter}",),
        remedies=_remedies(neg, clause, premise, {party: verdict}, party, fix_party=False))


def _param_label(clause: Clause, name: str) -> str:
    """A clause's parameter as a negotiator sets it: its label, else its name in words."""
    param = clause.params.get(name)
    return param.label if param is not None and param.label else name.replace("_", " ")


def _subject(neg: Negotiation, clause: Clause, premise: Premise, target: Any) -> str:
    who = {"every": "every party's", "recognising": "the recognising party's",
           "recognised": "the recognised party's", "any": "at least one party's"}[premise.role]
    source = ""
    if premise.clause_params():
        # The clause's own value the premise compares with, by the label a negotiator
        # sets it under (the ids stay in the finding's fields).
        source = f" (the clause's “{_param_label(clause, next(iter(premise.clause_params())))}”)"
    return (f"'{clause.title}' assumes {who} {label(premise.parameter)} is "
            f"{_wanted(premise, target)}{source}")


def _each(neg: Negotiation, clause: Clause, premise: Premise,
          verdicts: dict[str, Verdict]) -> Iterator[Finding]:
    topic = neg.library.provisions[clause.provision].topic
    for party, verdict in verdicts.items():
        if verdict.holds:
            continue
        if verdict.holds is None:
            continue  # unknown: asked once per party and figure; or the clause's own
            # figure is not set, which `param.unconfirmed` says
        subject = _subject(neg, clause, premise, verdict.target)
        name = neg.party_short(party)
        why = f": {premise.why}" if premise.why else ""
        parameters = (f"party:{party}.{premise.parameter}",
                      *(f"provision:{clause.provision}.{p}" for p in premise.clause_params()))
        if premise.reported_by and party in _reported(neg, premise.reported_by):
            continue  # the older rule reports it as an error under its own id
        yield Finding(
            rule=RULE, severity="error", topic=topic,
            message=f"{subject}, but {name}'s is {shown(verdict.value)}{why}",
            parties=(party,), clauses=(clause.id,), parameters=parameters,
            remedies=_remedies(neg, clause, premise, verdicts, party, fix_party=True))


def _reported(neg: Negotiation, rule_id: str) -> set[str]:
    """Parties an older rule names in an error: those contradictions keep its id. A
    case the older rule misses (a figure it does not read) is still reported here."""
    from negotiation.checks.registry import RULES

    memo = neg.memo.setdefault("premises-reported", {})
    if rule_id not in memo:
        older = RULES.get(rule_id)
        memo[rule_id] = {p for f in (older.check(neg) if older else ())
                         if f.severity == "error" for p in f.parties}
    named: set[str] = memo[rule_id]
    return named


def _any(neg: Negotiation, clause: Clause, premise: Premise,
         verdicts: dict[str, Verdict]) -> Iterator[Finding]:
    if any(v.holds for v in verdicts.values()):
        return
    topic = neg.library.provisions[clause.provision].topic
    unknown = [p for p, v in verdicts.items() if v.holds is None]
    target = next(iter(verdicts.values())).target
    subject = _subject(neg, clause, premise, target)
    instead: tuple[Remedy, ...] = ()
    if premise.instead and premise.instead in neg.library.clauses:
        other = neg.library.clauses[premise.instead]
        instead = (choose(clause.provision, other.id, f"choose '{other.title}' instead"),)
    if unknown:
        names = ", ".join(neg.party_short(p) for p in unknown)
        message = (f"{subject}; none is known to (not known for {names}): confirm it, or "
                   "choose a clause for a market without it")
    else:
        message = (f"{subject}, but no party's is: the text would regulate something no "
                   "linked system has" + (f"; {premise.why}" if premise.why else ""))
    yield Finding(rule=RULE, severity="warning", topic=topic, message=message,
                  parties=tuple(verdicts), clauses=(clause.id,),
                  parameters=tuple(f"party:{p}.{premise.parameter}" for p in verdicts),
                  remedies=instead)


def _remedies(neg: Negotiation, clause: Clause, premise: Premise,
              verdicts: dict[str, Verdict], party: str, fix_party: bool) -> tuple[Remedy, ...]:
    """Change the party's figure, fit the clause's figure to every party, or another clause."""
    remedies: list[Remedy] = []
    name = neg.party_short(party)
    wanted = _party_value(premise, verdicts[party].target)
    if fix_party and wanted is not None:
        remedies.append(set_party_param(party, premise.parameter, wanted,
                                        f"{name}'s {label(premise.parameter)} becomes "
                                        f"{shown(wanted)}, as the clause says"))
    fitting = _fitting_figure(premise, verdicts)
    if fitting is not None:
        param, value, loosest = fitting
        loosens = (f", {neg.party_short(loosest)}'s: this loosens the link for every party"
                   if premise.comparison in ("at_most", "at_least") else "")
        remedies.append(set_provision_param(
            clause.provision, param, value,
            f"set the clause's “{_param_label(clause, param)}” to {shown(value)}{loosens}"))
    for other in neg.library.fitting_clauses(clause.provision, neg.form, neg.linkage):
        if other.id != clause.id and _all_hold_once(neg, other):
            remedies.append(choose(clause.provision, other.id,
                                   f"choose '{other.title}' instead"))
    return tuple(remedies)


def _party_value(premise: Premise, target: Any) -> Any:
    if premise.comparison in ("is", "at_most", "at_least", "same"):
        return target
    if premise.comparison == "one_of" and target:
        return target[0]
    return None


def _fitting_figure(premise: Premise,
                    verdicts: dict[str, Verdict]) -> tuple[str, Any, str] | None:
    """The clause parameter value that every party meets as it stands, with the party
    that sets it; None when the premise compares with no clause parameter or a value
    is unknown."""
    if not premise.clause_params():
        return None
    values = {p: v.value for p, v in verdicts.items()}
    if any(v is None or isinstance(v, bool) or not isinstance(v, (int, float))
           for v in values.values()):
        return None
    param = next(iter(premise.clause_params()))
    if premise.comparison == "at_most":
        party = max(values, key=lambda p: values[p])
    elif premise.comparison == "at_least":
        party = min(values, key=lambda p: values[p])
    elif premise.comparison == "is" and len(set(values.values())) == 1:
        party = next(iter(values))
    else:
        return None
    return param, values[party], party


def without_contradicted_fixes(neg: Negotiation, findings: list[Finding]) -> list[Finding]:
    """The findings with every fix that would choose a clause whose premises a party's
    system contradicts left out: a fix must never lead straight to an error (the
    msr rule's 'align the mechanisms' for a party with no reserve, say)."""
    result = []
    for finding in findings:
        kept = tuple(r for r in finding.remedies
                     if r.choose is None or r.choose.clause not in neg.library.clauses
                     or _all_hold_once(neg, neg.library.clauses[r.choose.clause],
                                       r.choose.params))
        result.append(finding if kept == finding.remedies
                      else finding.model_copy(update={"remedies": kept}))
    return result


def _all_hold_once(neg: Negotiation, clause: Clause,
                   given: dict[str, Any] | None = None) -> bool:
    """`_all_hold`, worked out once per state of the session (many findings of one
    provision offer the same alternatives)."""
    memo = neg.memo.setdefault("premises-hold", {})
    key = (clause.id, repr(sorted((given or {}).items())))
    if key not in memo:
        memo[key] = _all_hold(neg, clause, given or {})
    result: bool = memo[key]
    return result


def _all_hold(neg: Negotiation, clause: Clause, given: dict[str, Any]) -> bool:
    """Whether no premise of `clause` is contradicted by a party, with these values."""
    year = session_year(neg.session.year,
                        neg.session.round.date if neg.session.round else None)
    values = neg.parameter_values(clause, given)
    for premise in clause.assumes:
        parties = _by_role(neg, premise)
        target = _common(neg, premise, parties) if premise.same else \
            resolve_operand(premise, values, year)
        verdicts = [judge(premise, neg.systems[p].parameters.get(premise.parameter), target)
                    for p in parties]
        if premise.role == "any":
            if parties and not any(v.holds for v in verdicts):
                return False
        elif any(v.holds is False for v in verdicts):
            return False
    return True
