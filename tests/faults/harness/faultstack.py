"""The fault suite's stack: the embedded infrastructure and services on a port block of its
own, plus as many extra instances of a service as a scenario asks for."""

from __future__ import annotations

import contextlib
from pathlib import Path

from compose.components.service import instance_components
from compose.settings import StackSettings
from compose.stack import Stack
from tests.faults.harness.instances import Instance
from tests.integration.conftest import free_port_block, stack_settings_for

PORT_OFFSETS = {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95,
                "command_api": 96, "query_api": 97}  # fmt: skip
# Several instances of a service on one host: no fixed web port, no developer's zaiko.toml.
SERVICE_ENV = {"ZAIKO_WORKER_WEB_PORT": "0", "ZAIKO_LOG_FORMAT": "text"}


class FaultStack:
    """A private embedded stack with its five services; extra instances on demand."""

    def __init__(self, root: Path, first_port_base: int = 29800) -> None:
        self.root = root
        self.ports = free_port_block(first_port_base, PORT_OFFSETS)
        self.settings: StackSettings = stack_settings_for(root / "state", self.ports)
        self.stack = Stack(self.settings)
        env = {**SERVICE_ENV, "ZAIKO_CONFIG_FILE": str(root / "no-such-zaiko.toml")}
        for service in self.stack.services:
            service.env.update(env)
        self.extras: list[Instance] = []
        self._numbers: dict[str, int] = {}
        # aggregates a scenario broke on purpose (a poison event): parked for good, so a
        # later scenario's audit of the whole read model leaves them out, and says so
        self.broken_on_purpose: set[str] = set()
        self.needs_rebuild = False  # a scenario left the broker unusable (see wedged_in_a_group)

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir

    def up(self) -> None:
        """Start the infrastructure and the five services; wait until each is ready."""
        self.stack.up(with_services=True)

    def down(self) -> None:
        """Stop every process of ours: extra instances first, then the stack (by pid)."""
        self.tidy()
        self.stack.down()

    def tidy(self) -> None:
        """Undo what a scenario may have left: extra instances stop, paused processes resume."""
        for extra in reversed(self.extras):
            with contextlib.suppress(Exception):
                extra.stop()
        self.extras.clear()
        for component in [*self.stack.services, *self.stack.components]:
            with contextlib.suppress(Exception):
                Instance(component).resume_all()

    def rebuild(self) -> None:
        """Stop everything, wipe the data, start afresh (when a scenario left it unusable)."""
        self.down()
        self.stack.down(reset=True)
        self.up()

    def service(self, name: str) -> Instance:
        """Return the stack's own instance of ``name`` (worker, bridge, projector, ...)."""
        return Instance(next(s for s in self.stack.services if s.name == name))

    def infra(self, name: str) -> Instance:
        """Return the stack's kafka, dynamodb, postgres or redis process."""
        return Instance(next(c for c in self.stack.components if c.name == name))

    def spawn(self, command: str, env: dict[str, str] | None = None) -> Instance:
        """Start one more instance of ``command`` with the stack's settings; wait until ready."""
        template = next(s for s in self.stack.services if s.command == command)
        number = self._numbers[command] = self._numbers.get(command, 1) + 1
        # as ``zaiko stack up --workers N`` builds its N-th instance (own pid file, ready file)
        service_env = {**template.env, **(env or {})}
        (component,) = instance_components(self.state_dir.resolve(),
                                           self.settings.ready_timeout_s, service_env,
                                           {command: [number]})  # fmt: skip
        instance = Instance(component)
        self.extras.append(instance)
        instance.start()
        return instance

    def retire(self, instance: Instance) -> None:
        """Stop an extra instance and forget it."""
        instance.stop()
        if instance in self.extras:
            self.extras.remove(instance)

    def services_alive(self) -> dict[str, bool]:
        """Return whether each of the stack's own services runs."""
        return {s.name: s.record() is not None for s in self.stack.services}
