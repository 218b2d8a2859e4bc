"""Text a request may carry: what UTF-8 can encode and PostgreSQL can store.

JSON may hold a lone surrogate (``"\\ud800"``), and JSON and GraphQL both a NUL
(``"\\u0000"``): the first cannot be encoded into a response that echoes it, the second
not stored or compared by PostgreSQL. Refused up front, both are a typed client error
instead of an internal one wherever the value would have gone.
"""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, StringValueNode, Visitor, visit

from connectors.graphql.body import GraphQLRequest, InvalidRequestError


def _bad(text: str) -> str | None:
    if "\x00" in text:
        return "holds a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (not Unicode text)"
    return None


def check_request_text(request: GraphQLRequest) -> None:
    """Raise InvalidRequestError when the query, its name or a variable holds bad text."""
    stack: list[tuple[str, Any]] = [("query", request.query), ("variables", request.variables)]
    if request.operation_name is not None:
        stack.append(("operationName", request.operation_name))
    while stack:  # iterative: variables may nest as deep as JSON lets them
        where, value = stack.pop()
        if isinstance(value, str):
            problem = _bad(value)
            if problem:
                raise InvalidRequestError(f"a string in {where} {problem}")
        elif isinstance(value, dict):
            stack.extend((where, k) for k in value)
            stack.extend((where, v) for v in value.values())
        elif isinstance(value, list):
            stack.extend((where, v) for v in value)


class _Strings(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.problem: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        self.problem = self.problem or _bad(node.value)
        return self.BREAK if self.problem else None


def check_document_text(document: DocumentNode) -> None:
    """Raise InvalidRequestError when a string literal decodes to bad text (``"\\u0000"``)."""
    strings = _Strings()
    visit(document, strings)
    if strings.problem:
        raise InvalidRequestError(f"a string literal {strings.problem}")
