#!/usr/bin/env python3
"""The built page in a real browser (Debian's chromium, headless, driven by python3-selenium
through chromium-driver): it opens from file://, asks the leader-crash lesson's question and
predictions, runs the lesson in its Web Worker, shows the numbers of the native command line and
reveals the predictions against them (kept in localStorage); stepping through the timeline
reaches the crash (its broker's box down, its ZooKeeper session still alive, the partition
without a leader) and the election after it (the new leader and the controller by name, the
session expired, the traffic drawn from the run's trace); a lost record's story (told by the
core) has its send, append, acknowledgement and the truncation that removed it; with two seeds
every chart shows both; the browser logs no error.

    test_page.py KAFKASIM PAGE_HTML SCREENSHOT_PNG

SCREENSHOT_PNG gets the page's top after the run, and SCREENSHOT-step.png the step-through
at the story's truncation (docs/figures/browser-*.png are copies of these).

KAFKASIM is the native executable, run on the same lesson for the expected numbers. Prints the
wall time of the page's runs (a benchmark figure, not an assertion). Exit 77 (CTest: skipped)
when chromium, its driver or selenium is not installed (scripts/setup.sh test installs them).
"""
import json
import os
import re
import subprocess
import sys

import headless_chromium  # noqa: E402 (tests/web, next to this file)

SKIP = headless_chromium.SKIP
LESSON = "leader-crash"


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def main() -> int:
    native, page, screenshot = sys.argv[1:4]
    scenario = f"scenarios/{LESSON}.json"
    table = subprocess.run([native, "run", scenario], check=True, capture_output=True,
                           text=True).stdout
    report = json.loads(subprocess.run([native, "run", scenario, "--json", "-"], check=True,
                                       capture_output=True, text=True).stdout)

    driver = headless_chromium.start(page)
    if driver is None:
        return SKIP
    # Imported once the browser is there (selenium may be missing: skipped above).
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        driver.get("file://" + os.path.abspath(page) + "#" + LESSON)
        wait = WebDriverWait(driver, 120)
        run_button = driver.find_element(By.ID, "run")
        wait.until(lambda d: run_button.text == "Run" and run_button.is_enabled())
        diagnostics = driver.find_element(By.ID, "diagnostics").text
        if not diagnostics.startswith(f"OK {scenario}"):
            fail(f"the lesson does not validate in the page: {diagnostics!r}")

        # Predict first: the lesson's own question and predictions (its `lesson` object).
        lesson = json.load(open(scenario, encoding="utf-8"))["lesson"]
        question = driver.find_element(By.ID, "predict-question").text
        if question != lesson["question"]:
            fail(f"the page asks {question!r}, the lesson {lesson['question']!r}")
        inputs = driver.find_elements(By.CSS_SELECTOR, "#predictions input")
        asked = [(i.get_attribute("data-field"), i.get_attribute("data-mode")) for i in inputs]
        if asked != [(p["field"], p["mode"]) for p in lesson["predictions"]]:
            fail(f"the page asks for {asked}, the lesson for {lesson['predictions']}")
        # Predict the acks=1 loss right (from the command line's report), the rest wrong.
        def field_of(run, field):
            value = run
            for key in field.split("."):
                value = value[key]
            return value
        async_run = next(r for r in report["runs"] if r["acks"] == "async")
        guesses = []
        for box, (field, mode) in zip(inputs, asked):
            guess = field_of(async_run, field) if (field, mode) == ("lost_acknowledged", "async") \
                else 10
            box.send_keys(str(guess))
            guesses.append(guess)
        driver.execute_script("localStorage.removeItem('kafkasim-predictions')")
        run_button.click()
        wait.until(ec.visibility_of_element_located((By.ID, "results")))
        wait.until(lambda d: "run" in d.find_element(By.ID, "status").text and
                   " in " in d.find_element(By.ID, "status").text)
        status = driver.find_element(By.ID, "status").text
        print(f"page: {status} (the lesson's {len(report['runs'])} modes, headless chromium)")

        # The command line's table, byte for byte, and the page's own table's numbers.
        shown = driver.execute_script("return document.getElementById('cli-table').textContent")
        if shown != table:
            fail(f"the page's table differs from the command line's:\n{shown}\n---\n{table}")
        for field in ("produced", "acknowledged", "lost_acknowledged", "leader_elections",
                      "isr_shrinks", "offline_ms", "latency_ms.p99"):
            cells = driver.find_elements(By.CSS_SELECTOR, f'#summary tr[data-field="{field}"] td')
            values = [json.loads(c.get_attribute("data-value")) for c in cells[1:]]
            expected = []
            for run in report["runs"]:
                value = run
                for key in field.split("."):
                    value = value[key]
                expected.append(value)
            if values != expected:
                fail(f"the page's {field} is {values}, the command line's {expected}")
        lost = [run["lost_acknowledged"] for run in report["runs"]]
        print(f"page and command line agree: lost_acknowledged {lost} for "
              f"{[run['acks'] for run in report['runs']]}")

        # Revealed: each prediction against the report's number, kept in the browser.
        rows = driver.find_elements(By.CSS_SELECTOR, "#reveal-table tr[data-field]")
        if len(rows) != len(asked):
            fail(f"{len(rows)} predictions revealed, {len(asked)} made")
        for row, (field, mode), guess in zip(rows, asked, guesses):
            run = next(r for r in report["runs"] if r["acks"] == mode)
            shown = json.loads(row.find_elements(By.TAG_NAME, "td")[4].get_attribute("data-value"))
            if shown != field_of(run, field):
                fail(f"the page reveals {field} of {mode} as {shown}, the report has "
                     f"{field_of(run, field)}")
            expected = "right" if guess == field_of(run, field) else "wrong"
            if row.get_attribute("class") != expected:
                fail(f"the prediction {guess} of {field} ({mode}) is shown {row.get_attribute('class')}")
        kept = json.loads(driver.execute_script("return localStorage.getItem('kafkasim-predictions')"))
        if len(kept) != len(asked) or len(driver.find_elements(By.CSS_SELECTOR, "#history tr")) != len(asked) + 1:
            fail(f"the predictions are not kept: {kept}")
        print(f"predictions revealed against the report: {len(rows)} of the lesson's")

        # Step through the async run's timeline to the crash, then to the election after it.
        driver.execute_script("const s = document.getElementById('view-run');"
                              "s.value = s.options[0].value; s.dispatchEvent(new Event('change'));")
        crash = None
        for _ in range(50):
            driver.find_element(By.ID, "next-event").click()
            now = driver.find_elements(By.CSS_SELECTOR, "#timelines ol:first-of-type li.now")
            line = now[0].text if now else ""
            if "crashed" in line:
                crash = line
                break
        if crash is None:
            fail("stepping through the timeline never reached the crash")
        broker = re.search(r"(broker-\d+) .*crashed", crash).group(1)
        partition = re.search(r"it led ([\w.-]+-\d+)", crash).group(1)
        node = driver.find_element(By.CSS_SELECTOR, f'#cluster-svg .node[data-node="{broker}"]')
        if "down" not in node.get_attribute("class"):
            fail(f"at the crash ({crash.strip()}) the view shows {broker} up")
        if "ZK session alive" not in node.text:
            fail(f"at the crash ZooKeeper still holds {broker}'s session: {node.text!r}")
        box = driver.find_element(By.CSS_SELECTOR, f'#partitions-view [data-partition="{partition}"]')
        if "no leader" not in box.text:
            fail(f"after the crash of its leader the view shows {partition} led: {box.text!r}")
        faults = driver.find_element(By.CSS_SELECTOR, "#faults-now .fault.active").text
        if "crash" not in faults:
            fail(f"the crash is not shown as a fault in force: {faults!r}")
        election = None
        for _ in range(10):
            driver.find_element(By.ID, "next-event").click()
            # Every line at the instant reached is "now" (an election shares its instant with
            # the LeaderAndIsr lines it causes).
            now = driver.find_elements(By.CSS_SELECTOR, "#timelines ol:first-of-type li.now")
            for line in (e.text for e in now):
                if re.search(rf"controller broker-\d+: {partition} -> broker-\d+ \(clean", line):
                    election = line
            if election is not None:
                break
        if election is None:
            fail("no leader election follows the crash in the step-through")
        controller, elected = re.search(
            rf"controller (broker-\d+): {partition} -> (broker-\d+)", election).groups()
        box = driver.find_element(By.CSS_SELECTOR, f'#partitions-view [data-partition="{partition}"]')
        if box.get_attribute("data-leader") != elected or f"leader {elected}" not in box.text:
            fail(f"after the election the view shows {partition}: {box.text!r}, not led by {elected}")
        if f"controller {controller}" not in driver.find_element(By.ID, "sampled-at").text:
            fail(f"the view does not name the controller {controller}")
        node = driver.find_element(By.CSS_SELECTOR, f'#cluster-svg .node[data-node="{broker}"]')
        if "ZK session expired" not in node.text:
            fail(f"at the election {broker}'s ZooKeeper session is not shown expired: {node.text!r}")
        # The traffic from the run's trace: produce requests to the new leader, its followers'
        # fetches (the worker makes the run again, traced, after the run).
        WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cluster-svg path.traffic"))
        arrows = {(a.get_attribute("data-kind"), a.get_attribute("data-to"))
                  for a in driver.find_elements(By.CSS_SELECTOR, "#cluster-svg path.traffic")}
        if ("Produce", elected) not in arrows and not any(k == "Fetch (follower)" for k, _ in arrows):
            fail(f"no produce or fetch traffic drawn after the election: {arrows}")
        print(f"stepped to: {crash.strip()} / then: {election.strip()}")

        # A lost record's story, told by the core from the run made again with its trace: the
        # send, the append at its offset, the acknowledgement, and the truncation that removed it.
        lost = report["runs"][0]["lost_examples"][0]
        driver.find_element(By.CSS_SELECTOR, f'#lost-lists li[data-record="{lost["id"]}"]').click()
        WebDriverWait(driver, 120).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, '#story li[data-kind="truncation"]'))
        story = driver.find_element(By.ID, "story").text
        head = driver.find_element(By.ID, "story-head").text
        truncation = driver.find_element(By.CSS_SELECTOR, '#story li[data-kind="truncation"]').text
        remover = lost["removed_by"].split(" ")[0]
        if f"offset {lost['offset']}" not in head or f"held then by {', '.join(lost['held_by'])}" not in head:
            fail(f"the story of {lost['id']} does not say its offset and holders: {head!r}")
        for kind in ("send", "append", "acknowledged"):
            if not driver.find_elements(By.CSS_SELECTOR, f'#story li[data-kind="{kind}"]'):
                fail(f"the story of {lost['id']} has no {kind}:\n{story}")
        acknowledged = driver.find_element(By.CSS_SELECTOR, '#story li[data-kind="acknowledged"]').text
        if not acknowledged.startswith(f"{lost['acknowledged_at_ms'] / 1000:.3f} s"):
            fail(f"the story's acknowledgement {acknowledged!r} is not the report's instant")
        if remover not in truncation or "truncated" not in truncation:
            fail(f"the story's truncation {truncation!r} does not name {remover}, who removed it")
        print(f"story of {lost['id']}: {len(story.splitlines())} steps; {truncation}")

        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        if errors:
            fail(f"the browser logged errors: {errors}")
        # The step-through at the story's removal, then the page's top, as screenshots.
        driver.find_element(By.CSS_SELECTOR, '#story li[data-kind="truncation"]').click()
        driver.execute_script("document.getElementById('explore').scrollIntoView()")
        step_shot = re.sub(r"\.png$", "", screenshot) + "-step.png"
        driver.save_screenshot(step_shot)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(screenshot)
        print(f"screenshots: {screenshot} {step_shot}")

        # Several seeds: every seed is charted (each mode's mean, with a band over the seeds).
        driver.execute_script("""
            for (const box of document.querySelectorAll('#modes input')) box.checked = box.value === 'async';
            const seeds = document.getElementById('seeds');
            seeds.value = '2';
            seeds.dispatchEvent(new Event('input'));""")
        driver.find_element(By.ID, "run").click()
        wait.until(lambda d: "2 runs in" in d.find_element(By.ID, "status").text)
        charts = driver.find_elements(By.CSS_SELECTOR, '#charts .chart[data-seeds="2"]')
        legend = driver.find_element(By.ID, "charts").text
        if len(charts) != 4 or "async mean of 2 seeds" not in legend:
            fail(f"with 2 seeds the charts do not show both: {len(charts)} charts, {legend[:200]!r}")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        if errors:
            fail(f"the browser logged errors: {errors}")
        print("2 seeds: each chart shows the mean of both seeds with their band")
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
