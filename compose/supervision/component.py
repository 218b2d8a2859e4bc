"""The supervisor as a stack component: ``python -m compose supervise`` with its pid file."""

from __future__ import annotations

from collections.abc import Mapping

from compose.components.service import ServiceComponent
from compose.settings import StackSettings

# what the supervisor must know beyond the services' connection environment
SETTINGS = (
    "ready_timeout_s",
    "supervisor_poll_s",
    "supervisor_backoff_initial_s",
    "supervisor_backoff_max_s",
    "supervisor_give_up_after",
    "supervisor_window_s",
)


def supervisor_component(
    settings: StackSettings, connection_env: Mapping[str, str]
) -> ServiceComponent:
    """Return the supervisor of this stack's services (run/supervisor.pid, logs/supervisor.log)."""
    state = settings.state_dir.resolve()
    env = {f"ZAIKO_{name.upper()}": str(getattr(settings, name)) for name in SETTINGS}
    env = {**connection_env, **env, "ZAIKO_STATE_DIR": str(state)}
    return ServiceComponent(state, "supervise", settings.ready_timeout_s, env, name="supervisor")
