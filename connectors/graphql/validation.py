"""Validate a document so that every finding is the client's fault, typed as such.

graphql-core's rules can fail on a literal the document holds (an Int literal of more
than 4,300 digits makes ``int()`` raise ValueError inside ``parse_int_literal``) and
then wrap the exception as the finding's ``original_error``. Both gateways take an
``original_error`` to mean a bug (INTERNAL_ERROR). A finding of validation is never
one: it is re-raised as a plain document error with the same message and locations.
"""

from __future__ import annotations

from graphql import DocumentNode, GraphQLError, GraphQLSchema, validate


def validate_document(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """Return the document's validation errors, none of them carrying an exception."""
    return [_as_document_error(e) for e in validate(schema, document)]


def _as_document_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path)
