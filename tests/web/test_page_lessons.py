#!/usr/bin/env python3
"""Every shipped lesson runs in the page (headless chromium, as tests/web/test_page.py): picked
from the lesson list, each scenario validates, asks its lesson's question, runs in the page's
Web Worker, and shows the native command line's table byte for byte, a chart per figure, a
timeline per run and the step-through; the browser logs no error.

    test_page_lessons.py KAFKASIM PAGE_HTML PROJECT_ROOT

KAFKASIM is the native executable, run on each scenario for the expected table. Prints each
lesson's wall time in the page (benchmark figures, not assertions). Exit 77 (CTest: skipped)
when chromium, its driver, selenium or the page is missing, as test_page.py.
"""
import glob
import json
import os
import re
import subprocess
import sys
import time

import headless_chromium  # noqa: E402 (tests/web, next to this file)

SKIP = headless_chromium.SKIP


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def timeline_lines(text: str) -> list:
    """The lines of each run's timeline in `kafkasim run --timeline` output, per run."""
    runs, current = [], None
    for line in text.splitlines():
        if line.startswith("Timeline, "):
            current = []
            runs.append(current)
        elif current is not None and line.startswith("  "):
            current.append(line)
        elif current is not None and line.strip():
            current = None
    return runs


def main() -> int:
    native, page, root = sys.argv[1:4]
    native, page = os.path.abspath(native), os.path.abspath(page)
    # The page names a lesson scenarios/NAME.json: so does the command line, run from the root.
    os.chdir(root)
    scenarios_dir = "scenarios"
    shipped = sorted(os.path.basename(p)[:-len(".json")]
                     for p in glob.glob(os.path.join(scenarios_dir, "*.json"))
                     if os.path.basename(p) != "schema.json")
    if len(shipped) < 20:
        fail(f"only {len(shipped)} scenarios found in {scenarios_dir}")

    total = 0.0
    driver = headless_chromium.start(page)
    if driver is None:
        return SKIP
    # Imported once the browser is there (selenium may be missing: skipped above).
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        driver.get("file://" + os.path.abspath(page))
        wait = WebDriverWait(driver, 300)
        run_button = driver.find_element(By.ID, "run")
        wait.until(lambda d: run_button.text == "Run" and run_button.is_enabled())
        offered = driver.execute_script(
            "return [...document.getElementById('lesson').options].map((o) => o.value)")
        if sorted(offered) != shipped:
            fail(f"the page offers {sorted(offered)}, the repository ships {shipped}")

        for name in shipped:
            scenario_path = f"scenarios/{name}.json"
            scenario = json.load(open(os.path.join(scenarios_dir, f"{name}.json"), encoding="utf-8"))
            table = subprocess.run([native, "run", scenario_path],
                                   check=True, capture_output=True, text=True).stdout
            timeline_text = subprocess.run([native, "run", scenario_path, "--timeline"],
                                           check=True, capture_output=True, text=True).stdout
            report = json.loads(subprocess.run(
                [native, "run", scenario_path, "--json", "-"],
                check=True, capture_output=True, text=True).stdout)

            driver.execute_script(
                "const s = document.getElementById('lesson'); s.value = arguments[0];"
                "s.dispatchEvent(new Event('change'));"
                "document.getElementById('status').textContent = '';", name)
            # The page validates the new text in its worker: wait for its verdict on this one.
            WebDriverWait(driver, 60).until(
                lambda d: scenario_path in d.find_element(By.ID, "diagnostics").text)
            wait.until(lambda d: run_button.text == "Run" and run_button.is_enabled())
            # OK, or warnings only (the command line's, e.g. members beyond the partitions).
            verdicts = driver.execute_script(
                "return [...document.querySelectorAll('#diagnostics li')].map((l) => l.className)")
            diagnostics = driver.find_element(By.ID, "diagnostics").text
            if verdicts != ["ok"] and (not verdicts or set(verdicts) != {"warning"}):
                fail(f"{name} does not validate in the page: {diagnostics!r}")
            lesson = scenario.get("lesson")
            if lesson is not None:
                question = driver.find_element(By.ID, "predict-question").text
                if question != lesson["question"]:
                    fail(f"{name}: the page asks {question!r}, the lesson {lesson['question']!r}")

            started = time.monotonic()
            run_button.click()
            wait.until(lambda d: re.match(r"\d+ runs? in ",
                                          d.find_element(By.ID, "status").text))
            wall = time.monotonic() - started
            total += wall

            shown = driver.execute_script(
                "return document.getElementById('cli-table').textContent")
            if shown != table:
                fail(f"{name}: the page's table differs from the command line's:\n{shown}\n---\n{table}")
            runs = driver.execute_script(
                "return [...document.getElementById('view-run').options].map((o) => o.value)")
            if len(runs) != len(report["runs"]):
                fail(f"{name}: the step-through offers {len(runs)} runs, the report has "
                     f"{len(report['runs'])}")
            # Each run's timeline: the lines of the command line's --timeline, in order.
            shown_lines = driver.execute_script(
                "return [...document.querySelectorAll('#timelines ol')].map("
                "(ol) => [...ol.querySelectorAll('li')].map((li) => li.textContent))")
            if shown_lines != timeline_lines(timeline_text):
                fail(f"{name}: the page's timelines differ from the command line's --timeline:\n"
                     f"{shown_lines}\n---\n{timeline_lines(timeline_text)}")
            charts = driver.find_elements(By.CSS_SELECTOR, "#charts .chart")
            if not charts:
                fail(f"{name}: no chart drawn")
            # One step of the step-through: the first instant of the first run's timeline.
            # (A run without events, e.g. the partitioners', has only its verdict: no step.)
            driver.find_element(By.ID, "next-event").click()
            timed = [l for l in shown_lines[0] if re.match(r"\s*-?[\d.]+ s\s", l)]
            if timed and not driver.find_elements(By.CSS_SELECTOR,
                                                  "#timelines ol:first-of-type li.now"):
                fail(f"{name}: stepping reaches no timeline line")
            if not driver.find_elements(By.CSS_SELECTOR, "#cluster-svg .node"):
                fail(f"{name}: the step-through draws no broker")
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            if errors:
                fail(f"{name}: the browser logged errors: {errors}")
            print(f"{name}: {len(report['runs'])} run(s) in {wall:.2f} s, table as the command "
                  f"line's, {len(charts)} charts")
    finally:
        driver.quit()
    print(f"every shipped lesson ran in the page: {len(shipped)} in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
