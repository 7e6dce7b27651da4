"""The API documentation: OpenAPI schema, Swagger UI and ReDoc, all served without a CDN."""
import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


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
