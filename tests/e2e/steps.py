"""Steps that several browser journeys share, written as a buyer would do them."""
import re

from tests.conftest import PASSWORD


def field(page, label):
    """Return the form field whose label reads `label`, with or without the required-field asterisk."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\W*$"))


def tab_to(page, target, max_presses=40):
    """Press Tab until the target has the focus, and check that the focus is drawn on screen."""
    for _press in range(max_presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", "the focused element shows no focus outline"
            return
    raise AssertionError(f"{target} cannot be reached with {max_presses} presses of Tab")


def choose_tickets(page, event, ticket_type_name, quantity):
    """Open the event page, enter a quantity for one ticket type and press Buy."""
    page.goto(event.get_absolute_url())
    page.get_by_label(f"Number of {ticket_type_name} tickets").fill(str(quantity))
    page.get_by_role("button", name="Buy").click()


def log_in(page, username, password=PASSWORD):
    """Fill in the login form that is on screen and submit it."""
    field(page, "Username or email").fill(username)
    field(page, "Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def continue_to_payment(page):
    """Leave the review page for the payment page, which holds the seats."""
    page.get_by_role("button", name="Continue to payment").click()


def decide_in_sandbox(page, decision):
    """Press "Pay" or "Decline" on the sandbox payment page and wait for the order page."""
    page.get_by_role("button", name=decision, exact=True).click()
    page.wait_for_url("**/payments/orders/**")
