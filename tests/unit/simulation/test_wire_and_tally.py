"""Channel bytes follow the contract; outcomes are tallied by type, reason and replay."""

from __future__ import annotations

import datetime as dt

from domain.messages import COMMANDS
from schemas import COMMAND_RESULTS_TOPIC, decode_command, encode
from schemas.records import CommandOutcome, OutcomeStatus
from simulation.channels import CHANNELS, encode_movement
from simulation.day import DaySpec, generate_day
from simulation.masterdata import generate
from simulation.model import MasterDataSpec
from simulation.outcomes import Answer
from simulation.tally import Tally, median, percentile
from simulation.wire import answer_from_avro, answer_from_codec


def test_every_channel_command_decodes_with_zaikos_codec_to_the_planned_command() -> None:
    data = generate(MasterDataSpec(seed=2, products=120, customers=20))
    day = generate_day(data, DaySpec(seed=2, movements=300))
    seen = set()
    for movement in day.movements:
        value, headers = encode_movement(movement, CHANNELS[movement.channel], "corr-1")
        envelope = decode_command(value)
        assert envelope.command == COMMANDS[movement.command](**movement.fields)
        assert envelope.meta.command_id == movement.command_id == headers["zaiko-command-id"]
        assert envelope.meta.aggregate_id == movement.aggregate_id
        assert envelope.meta.channel == CHANNELS[movement.channel].channel_id
        assert headers["zaiko-message-type"] == f"zaiko.commands.inventory.{movement.command}"
        seen.add(movement.command)
    assert len(seen) >= 7


def test_an_outcome_reads_the_same_with_the_partner_schema_and_the_codec() -> None:
    outcome = CommandOutcome(
        command_id="sim-1", aggregate_id="PRD-000001@TKY-01", aggregate_type="inventory",
        status=OutcomeStatus.REJECTED, version=3, error_code="INSUFFICIENT_STOCK",
        completed_at=dt.datetime(2026, 11, 27, 1, 2, 3, tzinfo=dt.UTC),
    )  # fmt: skip
    data = encode(outcome)
    assert answer_from_avro(data, 1.5) == answer_from_codec(data, 1.5)
    assert answer_from_avro(data, 1.5).error_code == "INSUFFICIENT_STOCK"
    assert COMMAND_RESULTS_TOPIC == "command.results"


def _answer(status: str, code: str | None, completed: dt.datetime) -> Answer:
    return Answer("c", status, code, 1, completed, 0.0)


def test_the_tally_counts_rejections_by_reason_and_earlier_runs_as_already_applied() -> None:
    started = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    tally = Tally()
    tally.add("ReserveStock", _answer("ACCEPTED", None, started), started)
    tally.add("ReserveStock", _answer("REJECTED", "RESERVATION_EXCEEDS_ON_HAND", started), started)
    tally.add("ReserveStock", _answer("ACCEPTED", None, started - dt.timedelta(hours=1)), started)
    tally.add("IssueStock", None, started)
    reserve, total = tally.rows["ReserveStock"], tally.total
    assert (reserve.sent, reserve.accepted, reserve.already_applied) == (3, 2, 1)
    assert reserve.rejected == {"RESERVATION_EXCEEDS_ON_HAND": 1}
    assert (total.sent, total.missing) == (4, 1)
    assert tally.table("t").row_count == 3


def test_percentiles_and_median() -> None:
    values = [float(v) for v in range(1, 101)]
    assert median(values) == 50.5
    assert percentile(values, 0.99) == 100.0
    assert percentile([], 0.5) == median([]) == 0.0


def test_an_outcome_recorded_just_before_its_command_was_sent_is_from_an_earlier_run() -> None:
    sent = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    tally = Tally()
    # a second load right after the first: the replayed outcome is half a second old
    tally.add("ReceiveStock", _answer("ACCEPTED", None, sent - dt.timedelta(seconds=0.5)), sent)
    tally.add("ReceiveStock", _answer("ACCEPTED", None, sent + dt.timedelta(seconds=0.1)), sent)
    tally.add("ReceiveStock", None, None)
    row = tally.rows["ReceiveStock"]
    assert (row.sent, row.accepted, row.already_applied, row.missing) == (3, 2, 1, 1)
