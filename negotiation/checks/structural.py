"""Structural checks: what the library's requires, conflicts, forms,
parameters and references say about this session's choices.

They read the library's declarations directly (networkx is not needed to
answer them, and `linkwright check` should start fast); the graph module
answers the "what else is affected" question from the same declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from negotiation.findings import Finding, choose, set_form, set_linkage
from negotiation.library import Clause, Library, Provision
from negotiation.session import ACCESSION_TOPIC, Negotiation


@lru_cache(maxsize=8)
def _requirement_cycles(library: Library) -> tuple[tuple[str, ...], ...]:
    import graphlib

    edges = {c.id: [t for t in c.requires if t in library.clauses]
             for c in library.clauses.values()}
    try:
        graphlib.TopologicalSorter(edges).prepare()
        return ()  # no ring: the common case, answered without networkx
    except graphlib.CycleError:
        pass
    import networkx as nx

    graph = nx.DiGraph()
    for source, targets in edges.items():
        for target in targets:
            graph.add_edge(source, target)
    cycles = []
    for cycle in nx.simple_cycles(graph):
        start = cycle.index(min(cycle))  # a stable starting point for the message
        cycles.append(tuple(cycle[start:] + cycle[:start]))
        if len(cycles) >= 50:
            break
    return tuple(sorted(cycles))


def requirement_cycles(library: Library) -> list[tuple[str, ...]]:
    """Clauses that require each other by id in a ring. Requiring a provision
    (any of its clauses) is not part of a ring: another clause can break it."""
    return list(_requirement_cycles(library))


# -- structural findings --------------------------------------------------------


def structural_findings(neg: Negotiation) -> Iterator[Finding]:
    """Everything the graph and the library say about this session's choices."""
    library = neg.library
    chosen = neg.chosen()
    chosen_ids = neg.chosen_clause_ids()
    relevant = {p.id for p in neg.relevant_provisions()}
    in_instrument = {library.provisions[p].topic for p in relevant} | relevant

    for provision_id, (clause, values) in chosen.items():
        provision = library.provisions[provision_id]
        topic = provision.topic
        if provision_id not in relevant:
            # Not drafted, so its requirements and parameters do not matter either.
            if neg.decision(provision_id) is not None:
                yield _decided_but_not_needed(neg, provision, clause, chosen_ids)
            continue
        if not clause.fits(neg.form, neg.linkage):
            fitting = library.fitting_clauses(provision_id, neg.form, neg.linkage)
            remedies = [choose(provision_id, c.id, f"choose '{c.title}' ({c.id}), which fits "
                               f"a {neg.linkage} {neg.form}") for c in fitting[:3]]
            if neg.form not in clause.forms:
                remedies.append(set_form(clause.forms[0], f"draft a {clause.forms[0]}, "
                                         f"which '{clause.title}' fits"))
            elif neg.linkage not in clause.linkage:
                remedies.append(set_linkage(clause.linkage[0]))
            yield Finding(
                rule="clause.does-not-fit", severity="error", topic=topic,
                message=f"'{clause.title}' is written for "
                        f"{'/'.join(clause.forms)} and {'/'.join(clause.linkage)} links, not a "
                        f"{neg.linkage} {neg.form}",
                clauses=(clause.id,), remedies=tuple(remedies))
        for target in clause.requires:
            if target in library.clauses:
                if target in chosen_ids:
                    continue
                required = library.clauses[target]
                remedy = choose(required.provision, target,
                                f"choose '{required.title}' for "
                                f"{library.provisions[required.provision].title}")
                what = f"'{required.title}'"
                needed = required.provision
            else:
                if target in chosen:
                    continue
                fitting = library.fitting_clauses(target, neg.form, neg.linkage)
                title = library.provisions[target].title
                remedy = (choose(target, fitting[0].id, f"decide {title}, e.g. "
                                 f"'{fitting[0].title}'") if fitting else None)
                what = f"a decision on {title}"
                needed = target
            # A requirement whose provision is still open, and will be asked, is work
            # still to do, not a contradiction: an error the moment a clause is chosen
            # (before the walk reaches the provision it needs) would be a trap. It
            # stays an error once that provision is decided otherwise, or when this
            # instrument does not ask it at all.
            pending = needed in relevant and needed not in chosen
            yield Finding(
                rule="clause.missing-requirement", severity="info" if pending else "error",
                topic=topic,
                message=f"'{clause.title}' requires {what}, which is not "
                        "chosen" + (f"; {library.provisions[needed].title} is still open: "
                                    "decide it before the text is final" if pending else ""),
                clauses=(clause.id, target), remedies=(remedy,) if remedy else ())
        for other in clause.conflicts:
            if other in chosen_ids and clause.id < other:
                other_clause = library.clauses[other]
                yield Finding(
                    rule="clause.conflict", severity="error", topic=topic,
                    message=f"'{clause.title}' conflicts with "
                            f"'{other_clause.title}'; choose one",
                    clauses=(clause.id, other),
                    remedies=tuple(
                        choose(c.provision, alt.id, f"replace '{c.title}' with '{alt.title}'")
                        for c in (clause, other_clause)
                        for alt in library.fitting_clauses(c.provision, neg.form, neg.linkage)
                        if alt.id not in (clause.id, other) and alt.id not in alt.conflicts
                        and clause.id not in alt.conflicts and other not in alt.conflicts
                    )[:3])
        for name, param in clause.params.items():
            problem = param.problem(values.get(name))
            if problem:
                remedy = ()
                if param.default is not None and param.problem(param.default) is None:
                    from negotiation.findings import set_provision_param

                    remedy = (set_provision_param(provision_id, name, param.default,
                                                  f"set {param.label or name} to "
                                                  f"{param.default}"),)
                yield Finding(
                    rule="param.invalid", severity="error", topic=topic,
                    message=f"{library.provisions[provision_id].title}: "
                            f"{param.label or name} in '{clause.title}' {problem}",
                    clauses=(clause.id,),
                    parameters=(f"provision:{provision_id}.{name}",), remedies=remedy)
        for target in sorted(clause.refs):
            if target not in library.topics and target not in library.provisions:
                yield Finding(
                    rule="ref.unresolved", severity="error", topic=topic,
                    message=f"'{clause.title}' refers to '{target}', which "
                            "the library does not define", clauses=(clause.id,))
            elif provision_id in relevant and target not in in_instrument:
                yield Finding(
                    rule="ref.unresolved", severity="error", topic=topic,
                    message=f"'{clause.title}' refers to '{_titled(library, target)}', which a "
                            f"{neg.linkage} {neg.form} does not contain",
                    clauses=(clause.id,))

    yield from _lint_chosen_texts(neg)

    for provision in neg.relevant_provisions():
        if provision.id in chosen:
            continue
        positions = neg.positions_on(provision.id)
        if positions:
            message = f"{provision.title} is open: {_stated(neg, positions)}"
        fitting = neg.library.fitting_clauses(provision.id, neg.form, neg.linkage)
        if not positions:
            message = f"{provision.title} is open: no clause chosen yet"
            drafting = [c for c in fitting if not c.leaves_out]
            if len(drafting) == 1:  # "Not regulated" is always open, never a rival
                message += f"; only '{drafting[0].title}' fits, so confirm it"
        yield Finding(rule="provision.open", severity="info", topic=provision.topic,
                      message=message, parties=tuple(positions),
                      remedies=tuple(choose(provision.id, c.id, f"choose '{c.title}'")
                                     for c in fitting[:4]))

    for cycle in requirement_cycles(library):
        if not chosen_ids.intersection(cycle):
            continue
        first = library.clauses[cycle[0]]
        yield Finding(rule="clause.requirement-cycle", severity="warning",
                      topic=library.provisions[first.provision].topic,
                      message="clauses require each other in a ring: "
                              + " -> ".join([*cycle, cycle[0]])
                              + "; none can be chosen without the others (fix the library)",
                      clauses=tuple(cycle))


def _stated(neg: Negotiation, positions: dict[str, object]) -> str:
    """Who has said what, in a sentence: "the Union and Switzerland have each stated a
    position; they differ", not a list of names with "stated one" after it."""
    from negotiation.templating import join_words

    names = join_words([neg.party_short(p) for p in positions])
    if len(positions) == 1:
        return f"only {names} has stated a position"
    distinct = {repr(position) for position in positions.values()}
    if len(distinct) == 1:
        return f"{names} have stated the same position; nothing is chosen yet"
    return f"{names} have each stated a position; they differ"


def _decided_but_not_needed(neg: Negotiation, provision: Provision, clause: Clause,
                            chosen_ids: set[str]) -> Finding:
    """A decision the draft will leave out, and why: the form and linkage, or the
    clause it depends on (`only_if`) or that makes it moot (`unless`)."""
    if not provision.applies(neg.form, neg.linkage):
        why = f"has no place in a {neg.linkage} {neg.form}"
    elif provision.topic == ACCESSION_TOPIC and not neg.open_to_accession():
        why = "is not needed: the session says the link is closed to further systems " \
              "(`open_to_accession: false`)"
    elif provision.unless and (moot := sorted(chosen_ids.intersection(provision.unless))):
        why = f"is not needed once '{neg.library.clauses[moot[0]].title}' ({moot[0]}) is chosen"
    else:
        needs = " or ".join(f"'{neg.library.clauses[c].title}'" for c in provision.only_if or [])
        why = f"is needed only when {needs} is chosen"
    return Finding(
        rule="provision.not-in-form", severity="warning", topic=provision.topic,
        message=f"{provision.title} is decided but {why}; it will not be "
                "drafted", clauses=(clause.id,))


def _lint_chosen_texts(neg: Negotiation) -> Iterator[Finding]:
    """Terms defined twice, and binding verbs in non-binding text, among the chosen clauses."""
    from negotiation.checks.rules_form import BINDING_VERBS

    relevant = {p.id for p in neg.relevant_provisions()}
    meanings: dict[str, tuple[str, str]] = {}
    for provision_id, (clause, _values) in neg.chosen().items():
        if provision_id not in relevant:
            continue
        topic = neg.library.provisions[provision_id].topic
        for term, meaning in clause.defines.items():
            key = term.strip().lower()
            if key in meanings and meanings[key][1].strip() != meaning.strip():
                yield Finding(
                    rule="term.defined-twice", severity="warning", topic="definitions",
                    message=f"'{term}' is defined by both {meanings[key][0]} and {clause.id}, "
                            "differently; the definitions article keeps the first",
                    clauses=(meanings[key][0], clause.id))
            meanings.setdefault(key, (clause.id, meaning))
        if neg.voice_for_topic(topic) == "nonbinding" and clause.text.nonbinding:
            match = BINDING_VERBS.search(clause.text.nonbinding)
            if match:
                yield Finding(
                    rule="voice.binding-verb-in-clause", severity="warning", topic=topic,
                    message=f"the non-binding text of '{clause.title}' says "
                            f"'{match.group(0)}'", clauses=(clause.id,))


def _titled(library: Library, target: str) -> str:
    """What a negotiator calls a topic or provision: its title, not its id."""
    if target in library.provisions:
        return library.provisions[target].title
    topic = library.topics.get(target)
    return topic.title if topic is not None else target
