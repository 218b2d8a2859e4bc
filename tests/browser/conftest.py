"""Browser fixtures: ``browser``, a headless chromium with no way out but 127.0.0.1.

Use ``screenshot(driver, tmp_path / "page.png")`` from tests/browser/chromium.py to keep
what the page looked like. Without chromium the tests skip, except in CI (``CI`` set),
where .ci/run installs it and its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

from tests.browser.chromium import missing, start
from tests.integration.conftest import dynamodb_settings, settings, stack  # noqa: F401


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """Yield a fresh headless chromium (own profile under tmp_path); quit it afterwards."""
    absent = missing()
    if absent:
        reason = f"{', '.join(absent)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the browser tests: {reason}")
        pytest.skip(reason)
    driver = start(tmp_path / "chromium-profile")
    try:
        yield driver
    finally:
        driver.quit()
