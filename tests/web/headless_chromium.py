"""Headless Chromium for the page's tests (test_page.py, test_page_lessons.py): Debian's
chromium, driven by python3-selenium through chromium-driver.

start(page) returns a selenium driver, or None after printing why the test is skipped (the
caller exits 77, CTest's "skipped"): selenium, chromium or its driver missing, or no page because
Emscripten is not installed. A missing page with Emscripten installed is a failure (SystemExit 1).
"""
import os
import shutil
import sys

SKIP = 77


def start(page: str):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("SKIPPED: python3-selenium is not installed (bash scripts/setup.sh test installs it)")
        return None
    driver_binary = shutil.which("chromedriver")
    if driver_binary is None or shutil.which("chromium") is None:
        print("SKIPPED: chromium and chromium-driver are not installed "
              "(bash scripts/setup.sh test installs them)")
        return None
    if not os.path.isfile(page):
        if shutil.which("em++") is None:
            print("SKIPPED: emscripten is not installed, so the page was not built "
                  "(bash scripts/setup.sh test installs it)")
            return None
        print(f"FAIL: {page} is missing: web/build.sh did not build the page")
        sys.exit(1)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1400,2400"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_binary), options=options)
