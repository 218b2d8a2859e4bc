"""End-to-end fixtures: the integration suite's embedded stack (one per session)."""

from __future__ import annotations

from tests.integration.conftest import dynamodb_settings, settings, stack  # noqa: F401
