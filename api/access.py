"""Who may read the monitoring routes and /metrics: anyone, or admins when settings say so.

`/monitor/*` and `/health/database?detailed=true` follow `MONITORING_ACCESS` (open in
development, admin otherwise). `/metrics` follows `METRICS_ACCESS`, open by default because
Prometheus scrapers usually carry no user token; set it to `admin` and give the scraper an admin's
bearer token when the operation names and latencies it lists should stay private.
"""

from __future__ import annotations

from starlette.requests import Request

from api.context import Services
from api.errors import ForbiddenError, InvalidTokenError
from api.settings import MonitoringAccess
from resolvers.scope import ViewerRole

__all__ = ["require_metrics", "require_monitoring"]


async def require_monitoring(request: Request) -> None:
    """Raise `ApiError` (401/403) unless the request may read monitoring data."""
    services: Services = request.app.state.services
    await _require(request, services.settings.monitoring, "MONITORING_ACCESS")


async def require_metrics(request: Request) -> None:
    """Raise `ApiError` (401/403) unless the request may read /metrics."""
    services: Services = request.app.state.services
    await _require(request, services.settings.metrics_access, "METRICS_ACCESS")


async def _require(request: Request, access: MonitoringAccess, setting: str) -> None:
    if access is MonitoringAccess.OPEN:
        return
    services: Services = request.app.state.services
    viewer = await services.authenticator.viewer_for(request.headers.get("authorization"))
    if not viewer.is_authenticated:
        raise InvalidTokenError("Monitoring data needs an admin's bearer token.")
    if viewer.role is not ViewerRole.ADMIN:
        raise ForbiddenError(
            f"Monitoring data is for admins only ({setting}=admin). "
            "Use an admin's API token, or ask an admin to read it for you."
        )
