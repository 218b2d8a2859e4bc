"""What every resolver gets as ``info.context``: the caller and the ports."""

from __future__ import annotations

from dataclasses import dataclass

from command_gateway.auth import Permission, Principal
from command_gateway.errors import FORBIDDEN, GatewayError
from command_gateway.ports import CommandBus, CompanyStore


@dataclass(frozen=True)
class RequestContext:
    principal: Principal
    commands: CommandBus
    companies: CompanyStore
    command_timeout_s: float
    channel: str

    def require(self, permission: Permission) -> None:
        """Raise FORBIDDEN unless the caller's role grants ``permission``."""
        if not self.principal.may(permission):
            raise GatewayError(
                f"role {self.principal.role.value} may not use {permission.value} mutations",
                FORBIDDEN, role=self.principal.role.value, permission=permission.value,
            )  # fmt: skip
