from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.csp import CSP
from django.utils.functional import lazy
from django.views.decorators.csp import csp_override
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# The docs pages load only this host's files. ReDoc's bundle always renders a "powered by" <img>
# from cdn.redoc.ly, with no option to turn it off, so img-src is what stops that request. Both UIs
# inject inline styles, and ReDoc runs its search in a blob: worker.
API_DOCS_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
docs_csp = csp_override(API_DOCS_CSP)

api_patterns = [
    path("", include("accounts.api_urls")),
    path("", include("events.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("tickets.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so script-src needs no inline code.
    path("docs/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path(
        "redoc/",
        docs_csp(SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")),
        name="redoc",
    ),
]

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, such as ReDoc. The static
    # URL is looked up per request, because the manifest storage has it only after collectstatic.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("accounts/", include("accounts.urls")),
    path("payments/", include("payments.urls")),
    path("tickets/", include("tickets.urls")),
    path("", include("events.urls")),
]
