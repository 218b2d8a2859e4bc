"""The embedded DynamoDB's server: which moto app answers, and the GC freeze."""

from __future__ import annotations

import subprocess
import sys

from compose.dynamodb_server import Dispatcher


def test_dynamodb_and_streams_requests_go_straight_to_their_own_app() -> None:
    dispatcher = Dispatcher()
    put = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.PutItem"})
    get = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.GetItem"})
    records = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDBStreams_20120810.GetRecords"})
    assert put is get
    assert records is not put
    assert dispatcher.fallback not in (put, records)


def test_anything_else_goes_through_motos_own_dispatcher() -> None:
    dispatcher = Dispatcher()
    assert dispatcher.app_for({}) is dispatcher.fallback
    assert dispatcher.app_for({"HTTP_X_AMZ_TARGET": "AWSEvents.PutEvents"}) is dispatcher.fallback


def test_what_survives_a_full_collection_is_frozen() -> None:
    script = (
        "import gc\n"
        "from compose.dynamodb_server import freeze_after_full_collections\n"
        "gc.collect()\n"
        "assert gc.get_freeze_count() == 0\n"
        "freeze_after_full_collections()\n"
        "kept = [[i] for i in range(10_000)]\n"
        "gc.collect()\n"
        "print(gc.get_freeze_count())\n"
    )
    frozen = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=60)  # fmt: skip
    assert int(frozen.stdout) > 10_000
