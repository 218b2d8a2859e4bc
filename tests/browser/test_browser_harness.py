"""The browser fixture itself: 127.0.0.1 answers, the outside never does, and we see tries."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import outside_requests, requested_urls, screenshot

PAGE = """<!doctype html><html><head><title>harness</title></head><body>
<p id="local">local page</p><p id="outside">pending</p>
<script>
  fetch("https://unpkg.com/react@18.3.1/umd/react.production.min.js")
    .then(() => { document.getElementById("outside").textContent = "reached"; })
    .catch(() => { document.getElementById("outside").textContent = "blocked"; });
</script></body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[str]:
    """Serve one page from tmp_path on 127.0.0.1 (a thread, shut down afterwards)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(PAGE)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path / "site"))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_a_local_page_loads_and_its_request_to_the_outside_fails_and_is_seen(
    browser: webdriver.Chrome, local_site: str, tmp_path: Path
) -> None:
    browser.get(local_site)
    assert browser.find_element(By.ID, "local").text == "local page"
    outcome = WebDriverWait(browser, 20).until(
        lambda d: (t := d.find_element(By.ID, "outside").text) != "pending" and t
    )
    assert outcome == "blocked"
    urls = requested_urls(browser)
    assert local_site in urls
    assert outside_requests(urls) == ["https://unpkg.com/react@18.3.1/umd/react.production.min.js"]
    assert screenshot(browser, tmp_path / "harness.png").stat().st_size > 0


def test_an_outside_address_by_number_is_refused_too(browser: webdriver.Chrome) -> None:
    # No name to resolve here: only the proxy on a closed port stops it.
    result = browser.execute_async_script(
        "const done = arguments[0];"
        "fetch('http://93.184.215.14/', {mode: 'no-cors'})"
        ".then(() => done('reached')).catch(() => done('blocked'));"
    )
    assert result == "blocked"
