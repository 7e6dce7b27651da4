"""The site icon: linked from every page and served at /favicon.ico."""
import pytest

pytestmark = pytest.mark.django_db


def test_pages_link_svg_icon(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_favicon_ico_redirects_to_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


def test_favicon_svg_served(client):
    response = client.get("/static/favicon.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
