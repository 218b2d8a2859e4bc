"""Backward compatibility, checked by example: data written with an old schema must be
readable by the new one through Avro schema resolution (as fastavro implements it)."""

from __future__ import annotations

import io
import json
import random
from typing import Any

from fastavro import schemaless_reader, schemaless_writer

from schemas.registry import parse

_TEXT = "abcXYZ019 _-在庫入庫倉庫🍙"


def random_datum(schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """Return a random value valid for a (parsed or JSON) schema."""
    if isinstance(schema, list):
        return random_datum(rng.choice(schema), rng, depth)
    if isinstance(schema, str):
        return _primitive(schema, rng)
    kind = schema["type"]
    if kind == "record":
        return {f["name"]: random_datum(f["type"], rng, depth + 1) for f in schema["fields"]}
    if kind == "array":
        size = 0 if depth > 4 else rng.randint(0, 3)
        return [random_datum(schema["items"], rng, depth + 1) for _ in range(size)]
    if kind == "map":
        size = 0 if depth > 4 else rng.randint(0, 3)
        return {f"k{i}": random_datum(schema["values"], rng, depth + 1) for i in range(size)}
    if kind == "enum":
        return rng.choice(schema["symbols"])
    if kind == "fixed":
        return rng.randbytes(schema["size"])
    if isinstance(kind, dict | list):
        return random_datum(kind, rng, depth)
    if isinstance(kind, str) and kind in _PRIMITIVES:
        return _primitive(kind, rng)
    raise ValueError(f"cannot generate data for {schema!r}")


_PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")


def _primitive(kind: str, rng: random.Random) -> Any:
    match kind:
        case "null":
            return None
        case "boolean":
            return rng.random() < 0.5
        case "int":
            return rng.choice([0, -1, 1, 2**31 - 1, -(2**31), rng.randint(-1000, 1000)])
        case "long":
            return rng.choice([0, -1, 2**63 - 1, -(2**63), rng.randint(-(10**12), 10**12)])
        case "float" | "double":
            return rng.choice([0.0, -1.5, 3.25, rng.uniform(-1e6, 1e6)])
        case "bytes":
            return rng.randbytes(rng.randint(0, 8))
        case "string":
            return "".join(rng.choice(_TEXT) for _ in range(rng.randint(0, 12)))
    raise ValueError(f"unknown Avro type {kind!r}")


def incompatibilities(
    old_form: str, new_schema: dict[str, Any], samples: int = 64, seed: int = 0
) -> list[str]:
    """Return why data written with `old_form` is unreadable with `new_schema` (empty: it is)."""
    writer = parse(json.loads(old_form))
    reader = parse(new_schema)
    rng = random.Random(seed)
    problems: list[str] = []
    for _ in range(samples):
        # Unions pick branches at random, so enough samples reach every branch.
        datum = random_datum(writer, rng)
        buffer = io.BytesIO()
        schemaless_writer(buffer, writer, datum)
        try:
            schemaless_reader(io.BytesIO(buffer.getvalue()), writer, reader)
        except Exception as e:  # fastavro raises SchemaResolutionError and friends
            problems.append(f"{type(e).__name__}: {str(e)[:300]}")
            break
    return problems
