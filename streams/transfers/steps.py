"""The command ids of a transfer's steps, in Zaiko's own namespace.

``~transfer/<source inventory id>/<transfer id>/<OUT seq>/<step>`` and, after a
CONCURRENCY rejection, ``…/<step>.1``, ``.2``… The ``~`` prefix
(``RESERVED_COMMAND_ID_PREFIX``) is refused on every command topic, so a client's
idempotency key can never be a step id. The source and the sequence number of the
transfer's OUT leg on it name one transfer forever: two sources' transfers of one id
differ by source, and a source's id used again (once it left the settled window) by its
OUT leg, so no transfer ever finds another one's recorded outcomes.

Before this scheme a step was ``<transfer id>:<step>``. A transfer opened under it may
still be open after an upgrade: ``legacy_ids`` names its old IN attempts, so a refusal
recorded under them stays final (see ``TransferManager``). Drop it once
``zaiko transfers open`` shows no transfer opened before the upgrade.
"""

from __future__ import annotations

from domain.messages import RESERVED_COMMAND_ID_PREFIX

NAMESPACE = f"{RESERVED_COMMAND_ID_PREFIX}transfer/"
ATTEMPTS = 8  # command ids per step; a new one only after a CONCURRENCY rejection


def step_id(source: str, transfer_id: str, out_sequence_nr: int, step: str,
            attempt: int = 0) -> str:  # fmt: skip
    """Return the command id of a step's ``attempt`` (0: the first)."""
    base = f"{NAMESPACE}{source}/{transfer_id}/{out_sequence_nr}/{step}"
    return base if attempt == 0 else f"{base}.{attempt}"


def legacy_ids(transfer_id: str, step: str) -> list[str]:
    """Return every command id the old scheme gave a step (``<tid>:<step>``, ``.1``…)."""
    base = f"{transfer_id}:{step}"
    return [base, *(f"{base}.{n}" for n in range(1, ATTEMPTS))]
