"""The REST API at /api/v1/: every operation authenticated (API key or session), one error shape for every 4xx."""

from __future__ import annotations

from factoryos.accounts.api import router as accounts_router
from factoryos.accounts.auth import ApiKeyAuth, MemberSessionAuth
from factoryos.audit.api import router as audit_router
from factoryos.books.api import router as books_router
from factoryos.catalog.api import router as catalog_router
from factoryos.core.api import router as core_router
from factoryos.documents.api import router as documents_router
from factoryos.facilities.api import router as facilities_router
from factoryos.finance.api import router as finance_router
from factoryos.imports.api import router as imports_router
from factoryos.inventory.api import router as inventory_router
from factoryos.jobs.api import router as jobs_router
from factoryos.kernel.api import FactoryAPI
from factoryos.mrp.api import router as mrp_router
from factoryos.partners.api import router as partners_router
from factoryos.people.api import router as people_router
from factoryos.production.api import router as production_router
from factoryos.purchasing.api import router as purchasing_router
from factoryos.sales.api import router as sales_router
from factoryos.shipping.api import router as shipping_router

api = FactoryAPI(
    title="Smart FactoryOS API",
    version="1",
    description="Authenticate with `Authorization: Bearer fos_...` (an API key from Settings → API keys) or a "
    "browser session. Another organization's objects are 404. Every 4xx body is "
    '`{"detail": "...", "code": "...", "errors": [{"field": "...", "message": "...", "code": "..."}]}`.',
    auth=[ApiKeyAuth(), MemberSessionAuth()],
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/", core_router)
api.add_router("/", audit_router)
api.add_router("/", facilities_router)
api.add_router("/", partners_router)
api.add_router("/", finance_router)
api.add_router("/", sales_router)
api.add_router("/", production_router)
api.add_router("/", mrp_router)
api.add_router("/", shipping_router)
api.add_router("/", purchasing_router)
api.add_router("/", books_router)
api.add_router("/", documents_router)
api.add_router("/", catalog_router)
api.add_router("/", inventory_router)
api.add_router("/", imports_router)
api.add_router("/", jobs_router)
api.add_router("/", people_router)
