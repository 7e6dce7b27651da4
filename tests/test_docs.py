"""The API documentation: OpenAPI schema, Swagger UI and ReDoc, all served without a CDN."""
import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def csp_directives(response):
    """Return the page's Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def test_schema_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/users/", "/api/users/me/", "/api/token/", "/api/token/refresh/", "/api/token/blacklist/",
                 "/api/events/", "/api/events/{id}/"):
        assert path in schema["paths"], path


def test_schema_documents_event_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    responses = schema["paths"]["/api/events/"]["post"]["responses"]
    assert set(responses) >= {"201", "400", "401", "403"}


def test_schema_generation_has_no_warnings():
    """Fail on any warning, such as an operation whose serializer the generator cannot guess."""
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_uses_no_cdn(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not EXTERNAL_URL.search(html)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_csp_keeps_to_this_host(client, path):
    """ReDoc renders an <img> from cdn.redoc.ly that no option removes, so the policy must block it."""
    directives = csp_directives(client.get(path))

    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    for sources in directives.values():
        assert not [source for source in sources if "." in source or "//" in source], sources


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_has_no_inline_script(client, path):
    """The policy allows no inline script, so one on the page would not run."""
    html = client.get(path).content.decode()

    assert "<script" in html
    assert not INLINE_SCRIPT.search(html)


def test_swagger_script_served_as_file(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
    ],
)
def test_docs_assets_served_locally(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
