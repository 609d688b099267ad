"""The layer graph of a run's anatomy read for linear-collapse: which weighted layers form one linear map.

`wired` opens nested models and follows each layer's inputs (a graph that names none is a sequence);
`linear_chains_of` joins a weighted layer without activation to the weighted layers it feeds through
pass-through layers only (Flatten, Dropout, BatchNormalization, Add, `Activation("linear")`). A non-linear layer
(ReLU, max-pooling, any activation) ends a chain, and so does a layer kerasdiag does not know (a custom layer):
it is never assumed linear.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerasdiag.rundir.anatomy import LINEAR, Anatomy, Node
from kerasdiag.rundir.model_summary import ModelSummary


@dataclass(frozen=True)
class Link:
    """One layer of a linear chain, as the finding reports it."""

    name: str
    units: int | None
    activation: str | None  # its own activation (`linear` for a hidden link); the last link's may be any
    params: int | None = None
    output: bool = False  # the model's output layer (no weighted layer after it)


def wired(nodes: list[Node], entry: list[str] | None = None) -> list[tuple[Node, list[str]]]:
    """Every leaf layer with the names of the leaves that feed it; nested models are opened in place.

    A graph that names no inputs at all (read from a model summary) is a sequence. An input that names no layer of
    the graph (an InputLayer) is the graph's entry: the model's input, or what feeds a nested model.
    """
    entry = entry or []
    sequential = not any(node.inputs for node in nodes)
    names = {node.name for node in nodes}
    opened: dict[str, list[str]] = {}  # a nested model's name -> the leaves its output comes from
    out: list[tuple[Node, list[str]]] = []
    previous = entry
    for node in nodes:
        if sequential or not node.inputs:
            sources = previous if sequential else entry
        else:
            sources = []
            for name in node.inputs:
                sources += opened.get(name, [name] if name in names else entry)
        if node.layers:
            inner = wired(node.layers, sources)
            out += inner
            opened[node.name] = previous = [inner[-1][0].name] if inner else sources
        else:
            out.append((node, sources))
            previous = [node.name]
    return out


def linear_chains_of(anatomy: Anatomy | None, model: ModelSummary | None = None) -> list[list[Link]]:
    """The linear chains of an anatomy's layer graph (weighted layers joined by nothing non-linear), input first.

    A weighted layer without activation feeds the next weighted layer linearly when every layer between them passes
    values on unchanged in kind (Flatten, Dropout, BatchNormalization, Add, `Activation("linear")`); a non-linear
    layer (ReLU, max-pooling, any activation) or an unknown one (a custom layer) breaks the chain.
    """
    leaves = wired(anatomy.layers) if anatomy is not None else []
    feeds = {node.name: sources for node, sources in leaves}
    nodes = {node.name: node for node, _ in leaves}
    joined: dict[str, set[str]] = {}
    for node, sources in leaves:
        if node.weighted and node.nonlinear is not None:
            for upstream in _linear_feeders(sources, nodes, feeds):
                joined.setdefault(node.name, set()).add(upstream)
                joined.setdefault(upstream, set()).add(node.name)
    order = [node.name for node, _ in leaves]
    params = {layer.name: layer.params for layer in model.layers} if model is not None else {}
    outputs = _output_layers(leaves)
    chains = []
    for names in _components(joined):
        ranked = sorted(names, key=order.index)
        chains.append([Link(n, nodes[n].units, nodes[n].nonlinearity, params.get(n), n in outputs) for n in ranked])
    return sorted(chains, key=lambda chain: order.index(chain[0].name))


def _linear_feeders(sources: list[str], nodes: dict[str, Node], feeds: dict[str, list[str]]) -> set[str]:
    """The weighted layers without activation that reach `sources` through pass-through layers only."""
    found: set[str] = set()
    stack, seen = list(sources), set()
    while stack:
        name = stack.pop()
        if name in seen or name not in nodes:
            continue
        seen.add(name)
        node = nodes[name]
        if node.weighted:
            if node.nonlinearity == LINEAR:
                found.add(name)
        elif node.nonlinear is False:
            stack.extend(feeds.get(name, []))
    return found


def _output_layers(leaves: list[tuple[Node, list[str]]]) -> set[str]:
    """Weighted layers with no weighted layer after them: the model's output layers."""
    weighted = {node.name for node, _ in leaves if node.weighted}
    consumers: dict[str, list[str]] = {}
    for node, sources in leaves:
        for source in sources:
            consumers.setdefault(source, []).append(node.name)
    outputs = set()
    for name in weighted:
        stack, seen, later = list(consumers.get(name, [])), set(), False
        while stack and not later:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            later = current in weighted
            stack.extend(consumers.get(current, []))
        if not later:
            outputs.add(name)
    return outputs


def _components(joined: dict[str, set[str]]) -> list[set[str]]:
    """The connected groups of a graph given as name -> neighbours."""
    groups, seen = [], set()
    for start in joined:
        if start in seen:
            continue
        group, stack = set(), [start]
        while stack:
            name = stack.pop()
            if name not in group:
                group.add(name)
                stack.extend(joined[name] - group)
        seen |= group
        groups.append(group)
    return groups
