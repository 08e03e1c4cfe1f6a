"""The Data page in headless Chromium: an upload checked and imported through the page's
polling, and the 20 MB limit said on the page on either side (browser and server)."""

from __future__ import annotations

import shutil

import pytest

from dashboard.auth import MAX_REQUEST_BYTES, MAX_UPLOAD_BYTES
from tests.app_server import serving
from tests.conftest import ADMIN, GOOD, HEADER

pytestmark = pytest.mark.browser
WAIT_MS = 60000     # readiness only


@pytest.fixture(scope="module")
def data_server(demo_database, users_file, tmp_path_factory):
    """The real app on its own copy of the demo database (the page imports into it)."""
    database = tmp_path_factory.mktemp("data-page") / "borgmester.duckdb"
    shutil.copy(demo_database, database)
    with serving(database, users_file) as url:
        yield url


@pytest.fixture
def page(browser, data_server):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(data_server + "/data")
    page.get_by_label("Brugernavn").fill(ADMIN[0])
    page.get_by_label("Adgangskode").fill(ADMIN[1])
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(data_server + "/data", wait_until="networkidle")
    page.locator("#data-history-table").wait_for(timeout=WAIT_MS)
    yield page
    assert errors == []
    page.close()


FILE_INPUT = "#data-upload input[type=file]"


def test_an_upload_is_checked_and_imported_through_the_page(page):
    page.set_input_files(FILE_INPUT, {"name": "eksport.csv", "mimeType": "text/csv",
                                      "buffer": GOOD})
    page.locator("#data-ok").wait_for(timeout=WAIT_MS)
    assert "1 rækker (tilmeldinger) er gyldige" in page.locator("#data-ok").inner_text()
    # The page holds a token, never a path.
    page.get_by_role("button", name="Importér filen").click()
    page.locator("#data-imported").wait_for(timeout=WAIT_MS)
    assert "1 nye" in page.locator("#data-imported").inner_text()
    assert page.get_by_role("button", name="Importér filen").is_disabled()


def test_the_reasons_of_a_danish_excel_file_are_said_in_english_to_an_english_reader(
        page, data_server):
    """A Danish Excel CSV (Windows-1252, ';', CRLF) with rejects, checked on the page by a
    reader who chose English: every reason in English, none in Danish (issue 17)."""
    from etl.paths import PROJECT_ROOT

    page.context.add_cookies([{"name": "sprog", "value": "en", "url": data_server}])
    page.reload(wait_until="networkidle")
    page.locator("#data-history-table").wait_for(timeout=WAIT_MS)
    rows = [HEADER, "E1;LKS2022-09;Gotham;Åse Ærø;01-03-2025;deltog;;",
            "E2;LKS2022-09;Odense;Bo Ørum;01-03-2025;Venteliste;;",
            "E3;LKS2022-09;Hoeje-Taastrup;Søren Å;01-03-2025;afbud;kr. 5.300,-;"]
    page.set_input_files(FILE_INPUT, {"name": "eksport.csv", "mimeType": "text/csv",
                                      "buffer": ("\r\n".join(rows) + "\r\n").encode("cp1252")})
    problems = page.locator("#data-problems")
    problems.wait_for(timeout=WAIT_MS)
    text = problems.inner_text()
    assert "unknown municipality" in text and "is not a registration status" in text, text
    assert "ukendt" not in text and "tilmeldingsstatus" not in text, text
    assert "Gotham" in text and "Venteliste" in text  # the values as the file has them
    artifacts = PROJECT_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "data-problems-en.png"), full_page=True)


def test_a_file_over_the_limit_is_refused_on_the_page_before_it_is_sent(page):
    sent = []
    page.on("request", lambda r: sent.append(r) if "_dash-update-component" in r.url
            and len(r.post_data_buffer or b"") > MAX_UPLOAD_BYTES else None)
    page.set_input_files(FILE_INPUT, {"name": "stor.csv", "mimeType": "text/csv",
                                      "buffer": b"x" * (25 * 2**20)})
    refused = page.locator("#data-upload-refused")
    refused.wait_for(state="visible", timeout=WAIT_MS)
    assert refused.inner_text() == "stor.csv er for stor; grænsen er 20 MB. Intet er sendt."
    # A file under the limit clears the message.
    page.set_input_files(FILE_INPUT, {"name": "lille.csv", "mimeType": "text/csv",
                                      "buffer": GOOD})
    refused.wait_for(state="hidden", timeout=WAIT_MS)
    page.locator("#data-ok").wait_for(timeout=WAIT_MS)
    assert sent == []


def test_a_request_the_server_refuses_as_too_large_is_said_on_the_page(page):
    """A client past the browser's check (or another limit in front): the 413 reply's
    message reaches the page instead of vanishing in the renderer."""
    status = page.evaluate("""size => fetch('/_dash-update-component', {
        method: 'POST', body: 'x'.repeat(size),
        headers: {'Content-Type': 'application/json',
                  'X-CSRFToken': document.cookie.match(/_csrf_token=([^;]+)/)[1]}})
        .then(r => r.status)""", MAX_REQUEST_BYTES + 1)
    assert status == 413
    refused = page.locator("#data-upload-refused")
    refused.wait_for(state="visible", timeout=WAIT_MS)
    assert refused.inner_text() == "Filen er for stor; grænsen er 20 MB."


def test_choosing_the_same_file_again_checks_it_again(page):
    """After "en anden import kører" (or a refusal) the user tries again with the same file:
    Dash only calls back on a change, so the page must empty the upload once taken."""
    bad = f"{HEADER}\nW1;LKS2099-09;Odense;Anna Web;01-03-2025;tilmeldt;;\n".encode()

    def is_upload(request) -> bool:
        return ("_dash-update-component" in request.url
                and "data-upload.contents" in (request.post_data or ""))

    for _attempt in (1, 2):
        with page.expect_request(is_upload, timeout=WAIT_MS):
            page.set_input_files(FILE_INPUT, {"name": "samme.csv", "mimeType": "text/csv",
                                              "buffer": bad})
        page.locator("#data-error").wait_for(timeout=WAIT_MS)
    assert "ukendt session" in page.locator("#data-problems").inner_text()
