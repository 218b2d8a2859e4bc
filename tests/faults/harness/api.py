"""Call the two GraphQL APIs as a client does (the fault stack runs both gateways)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

RESULT = "commandId aggregateId version eventTypes consistencyToken"


def graphql(port: int, query: str, variables: dict[str, Any], timeout_s: float = 30.0) -> Any:
    """POST a GraphQL request; return the decoded body (data and errors), whatever the status."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/graphql", body,
                                     {"Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:  # GraphQL errors may come with a 4xx
        return json.loads(error.read() or b"{}")


def receive_stock(port: int, inventory_id: str, quantity: int, key: str | None = None) -> Any:
    """Run the receiveStock mutation; return (result or None, error codes and reasons)."""
    text = (
        "mutation($in: ReceiveStockInput!, $key: String) {"
        f" receiveStock(input: $in, idempotencyKey: $key) {{ {RESULT} }} }}"
    )
    values = {"inventoryId": inventory_id, "quantity": quantity}
    body = graphql(port, text, {"in": values, "key": key})
    return (body.get("data") or {}).get("receiveStock"), codes(body)


def inventory(port: int, inventory_id: str, token: str | None, timeout_s: float = 30.0) -> Any:
    """Read one inventory through the Query API (waiting for ``token``); return (row, codes)."""
    body = graphql(port, "query($id: ID!, $t: String) { inventory(id: $id, consistencyToken: $t)"
                         " { id onHand reserved available } }",
                   {"id": inventory_id, "t": token}, timeout_s)  # fmt: skip
    return (body.get("data") or {}).get("inventory"), codes(body)


def codes(body: Any) -> list[str]:
    """Return each error's code, with the rejection's reason after a colon."""
    found = []
    for error in body.get("errors") or []:
        extensions = error.get("extensions") or {}
        reason = extensions.get("reason")
        found.append(f"{extensions.get('code')}" + (f":{reason}" if reason else ""))
    return found
