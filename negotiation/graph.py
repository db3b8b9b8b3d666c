"""The dependency graph of a negotiation, and the structural checks it answers.

Nodes are topics, provisions, clauses, clause parameters and the parties'
system parameters. Every edge points from a thing to what depends on it,
so that "what else is affected if this changes" is `nx.descendants`:

    clause    -decides->      provision  -part_of-> topic
    provision -offers->       clause     (a change of choice swaps the clause)
    required  -required_by->  clause     (a clause or a provision it requires)
    param     -used_by->      clause
    party parameter -default_for-> clause parameter (`default_from`)
    party parameter -checked_by->  topic   (a cross-system rule reads it)
    target    -referenced_by-> clause    (`ref()` in the clause's text)
    clause    -conflicts->    clause     (both ways)

The library part is built once per library and copied per negotiation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from negotiation.library import Library
from negotiation.session import Negotiation

if TYPE_CHECKING:  # networkx is imported where a graph is built: the node names are light
    import networkx as nx


def topic_node(topic: str) -> str:
    return f"topic:{topic}"


def provision_node(provision: str) -> str:
    return f"provision:{provision}"


def clause_node(clause: str) -> str:
    return f"clause:{clause}"


def param_node(clause: str, param: str) -> str:
    return f"param:{clause}#{param}"


def party_node(party: str, parameter: str) -> str:
    return f"party:{party}#{parameter}"


def target_node(target: str, library: Library) -> str:
    return topic_node(target) if target in library.topics else provision_node(target)


@lru_cache(maxsize=8)
def _library_graph(library: Library) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    for topic in library.topics.values():
        graph.add_node(topic_node(topic.id), kind="topic")
    for provision in library.provisions.values():
        graph.add_node(provision_node(provision.id), kind="provision")
        graph.add_edge(provision_node(provision.id), topic_node(provision.topic), kind="part_of")
    for clause in library.clauses.values():
        node = clause_node(clause.id)
        graph.add_node(node, kind="clause")
        graph.add_edge(node, provision_node(clause.provision), kind="decides")
        # Changing a provision's choice swaps which clause holds, so whatever
        # depends on any of its clauses may change too.
        graph.add_edge(provision_node(clause.provision), node, kind="offers")
        for name in clause.params:
            graph.add_node(param_node(clause.id, name), kind="param")
            graph.add_edge(param_node(clause.id, name), node, kind="used_by")
        for target in clause.requires:
            source = clause_node(target) if target in library.clauses else provision_node(target)
            graph.add_edge(source, node, kind="required_by")
        for other in clause.conflicts:
            if other in library.clauses:
                graph.add_edge(node, clause_node(other), kind="conflicts")
                graph.add_edge(clause_node(other), node, kind="conflicts")
        for target in clause.refs:
            if target in library.topics or target in library.provisions:
                graph.add_edge(target_node(target, library), node, kind="referenced_by")
    return graph


def build_graph(neg: Negotiation) -> nx.DiGraph:
    """The library graph plus this negotiation's parties and the rules that read them."""
    from negotiation.checks import registry

    graph = _library_graph(neg.library).copy()
    for party in neg.party_ids:
        for clause in neg.library.clauses.values():
            for name, param in clause.params.items():
                if param.default_from:
                    graph.add_edge(party_node(party, param.default_from),
                                   param_node(clause.id, name), kind="default_for")
        for rule in registry.RULES.values():
            for parameter in rule.reads:
                graph.add_edge(party_node(party, parameter), topic_node(rule.topic),
                               kind="checked_by")
        for clause in neg.library.clauses.values():
            # a premise reads the party's figure for the clause's own article
            topic = neg.library.provisions[clause.provision].topic
            for premise in clause.assumes:
                graph.add_edge(party_node(party, premise.parameter), topic_node(topic),
                               kind="checked_by")
    return graph


def affected_topics(graph: nx.DiGraph, node: str) -> set[str]:
    """Topics whose article or findings may change when `node` changes.

    A cross-reference only prints an article number, so `referenced_by` edges
    are not followed: otherwise nearly every choice would reach every topic.
    """
    import networkx as nx

    if node not in graph:
        return set()
    view = nx.subgraph_view(graph, filter_edge=lambda u, v: graph.edges[u, v].get("kind")
                            != "referenced_by")
    return {n.split(":", 1)[1] for n in nx.descendants(view, node) | {node}
            if n.startswith("topic:")}
