"""Look ahead at the selection and load a list's relations level by level, before completion.

The DataLoaders alone already make a page cost one statement per relation, but each
related field then resolves as its own awaitable: graphql-core wraps every object holding
one in a gather and a task, which for a page of 50 products with their inventories, zones
and warehouses costs several times the SQL. Loading each selected relation for the whole
list up front (``load_many``, the same loaders, the same one statement per level) and
storing it in the row lets the subtree complete synchronously. Relations that are not
prefetched (e.g. those taking arguments) still resolve through their loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from query_gateway.loaders import Loaders

Row = dict[str, Any]
Tree = dict[str, "Tree"]

# kind -> relation field -> (loader name, the row's key for it, kind of the related rows)
RELATIONS: dict[str, dict[str, tuple[str, Callable[[Row], Any], str | None]]] = {
    "product": {
        "inventories": ("inventories_of_product", lambda r: r["id"], "inventory"),
        "stock": ("product_totals", lambda r: r["id"], None),
    },
    "inventory": {
        "product": ("product", lambda r: r["product_id"], "product"),
        "zone": ("zone", lambda r: f"{r['warehouse_code']}-{r['zone_no']}", "zone"),
        "warehouse": ("warehouse", lambda r: r["warehouse_code"], "warehouse"),
    },
    "zone": {
        "warehouse": ("warehouse", lambda r: r["warehouse_code"], "warehouse"),
        "usage": ("zone_usage", lambda r: r["id"], None),
    },
    "warehouse": {
        "zones": ("zones_of_warehouse", lambda r: r["code"], "zone"),
        "stock": ("warehouse_totals", lambda r: r["code"], None),
    },
    "customer": {"company": ("company", lambda r: r["company_id"], None)},
    "movement": {
        "product": ("product", lambda r: r["product_id"], "product"),
        "zone": ("zone", lambda r: f"{r['warehouse_code']}-{r['zone_no']}", "zone"),
    },
}


def _collect(selection_set: SelectionSetNode | None, fragments: dict[str, Any], into: Tree) -> None:
    if selection_set is None:
        return
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            _collect(node.selection_set, fragments, into.setdefault(node.name.value, {}))
        elif isinstance(node, InlineFragmentNode):
            _collect(node.selection_set, fragments, into)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments:
            _collect(fragments[node.name.value].selection_set, fragments, into)


def node_tree(info: Any, *path: str) -> Tree:
    """Return the selection below the current field's ``path`` (e.g. "edges", "node")."""
    tree: Tree = {}
    for field in info.field_nodes:
        _collect(field.selection_set, info.fragments, tree)
    for name in path:
        tree = tree.get(name, {})
    return tree


async def prefetch(loaders: Loaders, kind: str, rows: list[Row], tree: Tree) -> None:
    """Attach every selected relation of ``rows`` (recursively), one batch per relation."""
    if not rows:
        return
    for field, (loader_name, key_of, child_kind) in RELATIONS.get(kind, {}).items():
        if field not in tree:
            continue
        loader = getattr(loaders, loader_name)
        values = await loader.load_many([key_of(row) for row in rows])
        for row, value in zip(rows, values, strict=True):
            row[field] = value
        if child_kind is not None:
            children = [c for v in values for c in (v if isinstance(v, list) else [v]) if c]
            # Loader memos share one dict per key: prefetch each distinct child once.
            unique = list({id(c): c for c in children}.values())
            await prefetch(loaders, child_kind, unique, tree[field])
