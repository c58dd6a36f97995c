"""Who may read the monitoring routes: anyone in development, admins when settings say so."""

from __future__ import annotations

from starlette.requests import Request

from api.context import Services
from api.errors import ForbiddenError, InvalidTokenError
from api.settings import MonitoringAccess
from resolvers.scope import ViewerRole

__all__ = ["require_monitoring"]


async def require_monitoring(request: Request) -> None:
    """Raise `ApiError` (401/403) unless the request may read monitoring data."""
    services: Services = request.app.state.services
    if services.settings.monitoring is MonitoringAccess.OPEN:
        return
    viewer = await services.authenticator.viewer_for(request.headers.get("authorization"))
    if not viewer.is_authenticated:
        raise InvalidTokenError("Monitoring data needs an admin's bearer token.")
    if viewer.role is not ViewerRole.ADMIN:
        raise ForbiddenError(
            "Monitoring data is for admins only (MONITORING_ACCESS=admin). "
            "Use an admin's API token, or ask an admin to read it for you."
        )
