"""A transfer id the source may use again once it has left its window of settled ids.

Known hazard, left for a decision (docs/domain.md "Bounded state"): the manager's step ids
(`~transfer/<source>/<transfer id>/<step>`) and the destination's received window
(`<source>/<transfer id>`) both name a transfer by source and id, which is unique only
while the id is in the source's settled window. A reused id finds the first transfer's
recorded outcomes (the new one is reported COMPLETED but stays pending), and a
destination that still remembers the first one takes the new IN for a redelivery.
The fix names the transfer by its OUT leg (`PendingTransfer.sequence_nr`) in both places.
"""

from __future__ import annotations

import pytest

from domain import ReceiveStock
from domain.inventory import state as inventory_state
from streams.transfers import Settlement
from tests.unit.transfers.conftest import RECEIVED, SOURCE, TO_OSAKA, World

KEPT = 3  # a small settled window, so the test needs few transfers


@pytest.mark.xfail(strict=True, reason="transfers are named by source and id: see the module")
def test_a_transfer_id_used_again_after_leaving_the_window_moves_its_units(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory_state, "SETTLED_TRANSFERS_KEPT", KEPT)
    world.send(ReceiveStock(SOURCE, KEPT + 1))
    for n in range(KEPT + 1):
        transfer = world.transfer_out(f"T-{n}", TO_OSAKA, 1)
        assert world.manager.drive(transfer).settlement is Settlement.COMPLETED
    assert "T-0" not in world.state(SOURCE).settled_transfers  # the source may take it again
    again = world.manager.drive(world.transfer_out("T-0", TO_OSAKA, 1))
    assert again.settlement is Settlement.COMPLETED
    assert world.state(SOURCE).pending_transfers == {}
    assert world.on_hand(TO_OSAKA) == KEPT + 2
    assert world.total() == RECEIVED + KEPT + 1
