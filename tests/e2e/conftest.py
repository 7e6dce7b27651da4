"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The tests need `/usr/bin/chromium` (`apt-get install chromium`, or set CHROMIUM_PATH) and the
`playwright` package. When either is missing they are skipped with the reason shown, or fail when
E2E_REQUIRE_BROWSER is set (as .ci/run does). Playwright never downloads a browser here.
"""
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AUDIT_SCRIPT = (Path(__file__).with_name("audit.js")).read_text()
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Without the networking flags Chromium keeps calling Google's update, sync and field-trial hosts.
# `--no-sandbox` because CI runs as root in a container, and Chromium refuses root with its sandbox on.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

_saved_screenshots = []


def _missing_browser_reason():
    """Return why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}; apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed; pip install -r requirements.txt"
    return None


@pytest.fixture(scope="package")
def browser():
    """Launch one headless Chromium for the journeys; skip when it or Playwright is missing.

    While Playwright runs, its event loop counts as running in the test thread, so Django keeps this
    thread's connections in a separate, context-local store. The package scope stops Playwright
    after the journeys, which gives the tests that follow their own connections back (with the
    serialized test data that serialized_rollback needs).
    """
    reason = _missing_browser_reason()
    if reason and os.environ.get("E2E_REQUIRE_BROWSER"):
        pytest.fail(f"E2E_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Django refuses ORM calls from a thread with a running event loop unless this is set. The
        # journeys' ORM calls are plain synchronous code that never runs inside the loop.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # launch() gives every run a fresh temporary profile and deletes it on close.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
        # Close the connections opened while the loop ran; nothing else can reach them afterwards.
        connections.close_all()


@pytest.fixture
def site(live_server, settings):
    """Point the links the app builds (payment callbacks, emails) at the live server."""
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def make_page(request, browser, site):
    """Return a function that opens a page in a new browser context (its own cookies) on the live server.

    Every page starts at desktop size, and any request it makes to another host is blocked and recorded.
    """
    contexts = []
    outside_requests = []

    def keep_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    def open_page():
        context = browser.new_context(base_url=site.url, viewport=DESKTOP, locale="en-GB")
        context.set_default_timeout(10_000)
        context.route("**/*", keep_local)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for number, context in enumerate(contexts):
        if getattr(request.node, "call_failed", False):
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                path = SCREENSHOT_DIR / f"{request.node.name}--FAILED-{number}.png"
                page.screenshot(path=str(path), full_page=True)
                _saved_screenshots.append(path)
        context.close()
    assert outside_requests == [], f"pages asked for assets outside this machine: {outside_requests}"


@pytest.fixture
def page(make_page):
    """Open the buyer's page: a desktop-sized browser tab on the live server."""
    return make_page()


@pytest.fixture
def shoot(request):
    """Return a function that audits a page and saves full-page screenshots at desktop and phone width.

    The audit (tests/e2e/audit.js) fails the test on missing labels, alt text or headings, text below
    WCAG AA contrast, and pages that scroll sideways on a phone. Pass `audit=False` for pages this
    project does not render itself, such as Django's admin.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    journey = request.node.name.removeprefix("test_")

    def save(page, step, *, audit=True):
        if audit:
            problems = page.evaluate(AUDIT_SCRIPT)
            assert problems == [], f"accessibility faults on {page.url}: {problems}"
        paths = []
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            if audit:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{page.url} is {width}px wide at {label} width {viewport['width']}px"
            path = SCREENSHOT_DIR / f"{journey}--{step}--{label}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            paths.append(path)
        page.set_viewport_size(DESKTOP)
        _saved_screenshots.extend(paths)
        return paths

    return save


def decode_qr(element):
    """Return the texts of the QR codes in a screenshot of the element, framed in a white margin."""
    import zxingcpp
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(element.screenshot(animations="disabled"))).convert("L")
    framed = ImageOps.expand(image, border=40, fill=255)
    return [result.text for result in zxingcpp.read_barcodes(framed)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a test whose body failed, so make_page can keep a screenshot of where it stopped."""
    report = yield
    if report.when == "call" and report.failed:
        item.call_failed = True
    return report


def pytest_terminal_summary(terminalreporter):
    """Tell where this run saved its screenshots."""
    if _saved_screenshots:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(_saved_screenshots)} screenshots saved in {SCREENSHOT_DIR}")
