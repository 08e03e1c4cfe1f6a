"""assets/fast-trim.js: Dash's core-js polyfill puts a slow String.prototype.trim in place of
the browser's; the app answers a string with nothing to trim at once and hands every other
string to that trim, so what trim returns is what it was (issue 22)."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

# (string, what trim gives) for core-js's trim: ASCII and Unicode spaces at either end,
# U+180E (white space to core-js, no longer to Unicode), Danish letters at the ends.
CASES = [(" a ", "a"), ("a", "a"), ("\u180ea\u180e", "a"), ("\u00a0b\t", "b"),
         ("\u3000c\ufeff", "c"), ("Ærø", "Ærø"), ("Tårnby ", "Tårnby"), ("", ""),
         ("x y", "x y"), ("\n", "")]


def test_trim_takes_the_quick_way_and_gives_what_it_gave(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/", PAGES["/"][1])
    page = watched.page
    got = page.evaluate("cases => cases.map(([text]) => text.trim())", CASES)
    assert got == [want for _text, want in CASES]
    # The polyfill's trim is still what other strings meet (it trims U+180E), behind ours.
    assert page.evaluate("() => '\\u180e'.trim() === ''")
    assert "kept(" in page.evaluate("() => String.prototype.trim.toString()")
    assert page.evaluate("() => { try { String.prototype.trim.call(null); return false; }"
                         " catch (error) { return error instanceof TypeError; } }")
    watched.assert_clean()
    watched.page.close()
