"""Which command a command id (idempotency key) stands for, among a batch's messages.

A command id is bound to the first command that used it: its fingerprint
(``fingerprint.py``) is kept with its outcome and its journal entry. Another message
under that id answers with that outcome only if it is the same command; otherwise
it is refused with IDEMPOTENCY_KEY_REUSED, published but never recorded, so the key
keeps its first command.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from connectors.eventstore.port import CommandOutcome, JournalEntry
from domain.fingerprint import fingerprint
from domain.messages import aggregate_type_of
from schemas import CommandEnvelope, CommandMeta
from streams.handling import outcomes
from streams.handling.group import Resolution
from streams.handling.intake import Command, Intake, Invalid


def meta_of(intake: Intake) -> CommandMeta | None:
    """Return the envelope of a command or refused command; None for a dead letter."""
    if isinstance(intake, Command):
        return intake.envelope.meta
    if isinstance(intake, Invalid):
        return intake.meta
    return None


def reserved(intake: Intake) -> bool:
    """Tell whether the message uses a command id of Zaiko's own (never looked up or recorded)."""
    return isinstance(intake, Invalid) and intake.reserved


def fingerprint_of(intake: Intake) -> str | None:
    """Return the fingerprint the message's command id is bound to by this message."""
    if isinstance(intake, Command):
        return fingerprint(intake.envelope.command)
    return intake.fingerprint if isinstance(intake, Invalid) else None


def kind_of(intake: Intake) -> str:
    """Return the aggregate type the message's command is for."""
    if isinstance(intake, Command):
        return aggregate_type_of(intake.envelope.command)
    return intake.aggregate_type if isinstance(intake, Invalid) else ""


def repeated(first: Intake, intake: Intake, answered: CommandOutcome) -> CommandOutcome:
    """Answer a later message of a batch under the command id ``first`` already used."""
    if intake is first or fingerprint_of(first) == fingerprint_of(intake):
        return answered
    meta = meta_of(intake)
    assert meta is not None
    return outcomes.reused(meta, kind_of(intake))


def refused_invalid(intake: Invalid, recorded: CommandOutcome | None) -> Resolution:
    """Resolve a command a value object refused, given what its id holds on record."""
    meta = intake.meta
    if recorded is not None:
        if outcomes.same_command(intake.fingerprint, intake.aggregate_type, meta.aggregate_id,
                                 recorded):  # fmt: skip
            return Resolution(recorded, fresh=False)
        return Resolution(outcomes.reused(meta, intake.aggregate_type), fresh=False)
    refusal = outcomes.refused(meta, intake.aggregate_type, intake.error)
    return Resolution(replace(refusal, fingerprint=intake.fingerprint))


def kept(wanted: CommandOutcome, on_record: CommandOutcome) -> CommandOutcome:
    """Return the answer for ``wanted`` given what recording it found on record.

    Another command on record under the same id (a reused key that raced this one)
    keeps the record; this command is then refused, unless it was applied: an applied
    command is answered as such (and from the journal on a redelivery).
    """
    if on_record is wanted or outcomes.same_command(
        wanted.fingerprint, wanted.aggregate_type, wanted.aggregate_id, on_record
    ):
        return on_record
    if wanted.status == "ACCEPTED" and wanted.event_types:
        return wanted
    return outcomes.reused_instead_of(wanted)


def from_journal(envelope: CommandEnvelope[Any], part: JournalEntry) -> Resolution:
    """Answer a command from its journal entry, unless the entry holds another command's id.

    An entry written before fingerprints existed is this aggregate's, so it is taken for
    the same command.
    """
    meta, kind = envelope.meta, aggregate_type_of(envelope.command)
    journaled, bound_to = part.fingerprint_of(meta.command_id), fingerprint(envelope.command)
    if journaled is not None and journaled != bound_to:
        return Resolution(outcomes.reused(meta, kind), fresh=False)
    return Resolution(outcomes.bound(outcomes.accepted(meta, kind, part), bound_to))


def bound(resolution: Resolution, command_fingerprint: str) -> Resolution:
    """Return a fresh outcome bound to its command's fingerprint (what gets recorded)."""
    if not resolution.fresh or resolution.outcome.fingerprint is not None:
        return resolution
    return replace(resolution, outcome=outcomes.bound(resolution.outcome, command_fingerprint))
