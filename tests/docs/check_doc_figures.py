#!/usr/bin/env python3
"""Every figure the documentation quotes from a run is checked against a fresh run.

The documentation marks what it quotes (docs/teaching/figures.md explains the syntax to authors):

  <!-- run ALIAS: run scenarios/leader-crash.json --acks async,isr -->
      declares a command (what follows `kafkasim`); ALIAS names it in the file. The same command
      anywhere in the documentation is run once: runs are cached by their command line.
  43<!--=ALIAS async lost_acknowledged-->
      the figure just before the marker must equal, to the decimals it is written with, the
      field of the run's JSON report (here: the async run's lost_acknowledged).
  <!-- output ALIAS -->  followed by a fenced block
      every line of the block (but "..." and the "$ " command line) is a line of the fresh stdout.

Selectors (after ALIAS), then optionally a scale (/1000, *100) and a tolerance (~5%):
  MODE PATH             the run of that mode (MODE#SEED for another seed); PATH is dotted, list
                        items by index or by their group / partition name
  agg MODE PATH         the JSON's aggregate (--seeds N)
  MODE @"TEXT"          the time, in s, of the first line of MODE's timeline that contains TEXT
  MODE ~"REGEX"         group 1 of REGEX's first match in MODE's timeline
  csv K=V,K=V COLUMN    a sweep's CSV: the column of the one row matching every K=V
  scenario POINTER      a value of the scenario file itself (a setting the text quotes)

From a line `<!-- every figure checked -->` to a line `<!-- end of checked figures -->` (or the
end of the file) the prose is linted too: outside code, every number must carry a marker, or
`<!--given-->` (a setting, an input of the scenario, arithmetic on them: nothing a run computes).
Identifiers (broker-1, acks=1, KIP-101) and `code` are not numbers to it.

  check_doc_figures.py [--rewrite] KAFKASIM SOURCE_DIR WORK_DIR [FILE...]
Exit status 0 when every figure matches; 1 with one line per mismatch.

--rewrite is for authors after a model change: each mismatched figure is replaced in its file by
the fresh value, written the same way (decimals, thousands separators, minus sign), and listed;
then read every listed sentence, since a new number can change what it should say. Output
blocks are not rewritten. The test never passes --rewrite.
"""
import csv
import json
import os
import re
import shlex
import subprocess
import sys

RUN_DEF = re.compile(r"<!--\s*run\s+([\w.-]+)\s*:\s*(.*?)\s*-->")
OUTPUT_DEF = re.compile(r"<!--\s*output\s+([\w.-]+)\s*-->")
# A figure: an optional minus, digits with optional thousands separators, optional decimals,
# directly followed (spaces and a unit word allowed) by its marker.
NUMBER = r"[-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-\u2212]?\d+(?:\.\d+)?"
FIGURE = re.compile(r"(" + NUMBER + r")(?:\s*(?:ms|s|%))?\s*<!--=(.*?)-->")
GIVEN = re.compile(r"(" + NUMBER + r")(?:\s*(?:ms|s|%))?\s*<!--given-->")
NAMING_WORDS = {"lesson", "lessons", "part", "kafka", "kip", "debian", "issue", "seed", "seeds",
                "rfc", "zookeeper"}
TIMELINE_LINE = re.compile(r"^\s*\d+\.\d{3} s  ")
EVERY = "<!-- every figure checked -->"
END_EVERY = "<!-- end of checked figures -->"


class Failure(Exception):
    pass


class Runs:
    """Runs kafkasim once per distinct command; keeps its JSON, CSV and stdout."""

    def __init__(self, kafkasim, source_dir, work_dir):
        self.kafkasim = kafkasim
        self.source_dir = source_dir
        self.work_dir = work_dir
        self.cache = {}

    def get(self, command):
        key = " ".join(shlex.split(command))
        if key not in self.cache:
            try:
                self.cache[key] = self._run(key)
            except Failure as e:
                self.cache[key] = e  # reported once, by the first quote that needs it
                raise
        if isinstance(self.cache[key], Failure):
            raise Failure(f"(the run failed: `kafkasim {key}`)")
        return self.cache[key]

    def _run(self, key):
        args = shlex.split(key)
        n = len(self.cache)
        out = {"args": args}
        extra = []
        if args[0] == "run":  # a command of the docs never names its own --json
            out["json_file"] = os.path.join(self.work_dir, f"run-{n}.json")
            extra = ["--json", out["json_file"], "--timeline"]
        elif args[0] == "sweep":
            out["csv_file"] = os.path.join(self.work_dir, f"sweep-{n}.csv")
            extra = ["--csv", out["csv_file"]]
        done = subprocess.run([self.kafkasim] + args + extra, cwd=self.source_dir,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise Failure(f"`kafkasim {key}` exited {done.returncode}: {done.stderr.strip()}")
        out["stdout"] = done.stdout
        if "json_file" in out:
            with open(out["json_file"]) as f:
                out["json"] = json.load(f)
        if "csv_file" in out:
            with open(out["csv_file"], newline="") as f:
                out["csv"] = list(csv.DictReader(f))
        return out


def walk(value, path, where):
    for part in path.split("."):
        if isinstance(value, list):
            if part.isdigit():
                value = value[int(part)]
            else:
                named = [v for v in value if isinstance(v, dict) and
                         part in (v.get("group"), v.get("partition"), v.get("name"))]
                if len(named) != 1:
                    raise Failure(f"{where}: no list item named {part!r}")
                value = named[0]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise Failure(f"{where}: no field {part!r} in the report")
    return value


def timeline_of(run, mode, where):
    text = run["stdout"]
    start = text.find(f"Timeline, acks={mode}, ")
    if start < 0:
        raise Failure(f"{where}: the run has no timeline for {mode}")
    end = text.find("\nTimeline, acks=", start + 1)
    return text[start:] if end < 0 else text[start:end]


def select(run, scenario_file, selector, where):
    """The value a selector names in a run."""
    words = shlex.split(selector)
    if not words:
        raise Failure(f"{where}: empty selector")
    if words[0] == "scenario":
        with open(scenario_file) as f:
            value = json.load(f)
        for token in words[1].split("/")[1:]:
            value = value[int(token)] if isinstance(value, list) else value[token]
        return float(value)
    if words[0] == "csv":
        filters = dict(kv.split("=", 1) for kv in words[1].split(","))
        rows = [r for r in run["csv"] if all(r.get(k) == v for k, v in filters.items())]
        if len(rows) != 1:
            raise Failure(f"{where}: {len(rows)} sweep rows match {words[1]}")
        return float(rows[0][words[2]])
    if words[0] == "agg":
        return float(walk(run["json"]["aggregate"][words[1]], words[2], where))
    mode, _, seed = words[0].partition("#")
    what = words[1]
    if what.startswith("@") or what.startswith("~"):
        lines = timeline_of(run, mode, where)
        if what.startswith("@"):
            needle = selector.split("@", 1)[1].strip().strip('"')
            for line in lines.splitlines():
                if TIMELINE_LINE.match(line) and needle in line:
                    return float(line.split()[0])
            raise Failure(f"{where}: no {mode} timeline line contains {needle!r}")
        pattern = selector.split("~", 1)[1].strip().strip('"')
        m = re.search(pattern, lines, re.M)
        if not m:
            raise Failure(f"{where}: nothing in the {mode} timeline matches {pattern!r}")
        return float(m.group(1).replace(",", ""))
    runs = [r for r in run["json"]["runs"] if r["acks"] == mode and
            (not seed or r["seed"] == int(seed))]
    if not runs:
        raise Failure(f"{where}: the run has no mode {mode!r}")
    return float(walk(runs[0], what, where))


def split_marker(marker):
    """'L1 async offline_ms /1000 ~5%' -> ('L1', 'async offline_ms', 1/1000, 0.05)."""
    scale, tolerance = 1.0, 0.0
    rest = marker.strip()
    while True:  # the trailing scale and tolerance; the selector keeps its own spaces
        m = re.search(r"\s+([/*~])([\d.]+)%?$", rest)
        if not m:
            break
        rest = rest[:m.start()]
        if m.group(1) == "/":
            scale /= float(m.group(2))
        elif m.group(1) == "*":
            scale *= float(m.group(2))
        else:
            tolerance = float(m.group(2)) / 100
    alias, _, selector = rest.partition(" ")
    return alias, selector.strip(), scale, tolerance


def quoted_value(text):
    t = text.replace(",", "").replace("\u2212", "-")
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), decimals


def matches(quoted, decimals, fresh, tolerance):
    if tolerance > 0:
        return abs(quoted - fresh) <= tolerance * abs(fresh) + 0.5 * 10 ** -decimals
    # Written with `decimals` decimals: the fresh value rounded to as many.
    return abs(quoted - fresh) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12


def written_like(quoted_text, fresh, decimals):
    """`fresh` written as `quoted_text` was: its decimals, separators and minus sign."""
    text = f"{fresh:,.{decimals}f}" if "," in quoted_text else f"{fresh:.{decimals}f}"
    if "\u2212" in quoted_text:
        text = text.replace("-", "\u2212")
    return text


def strip_code(line):
    return re.sub(r"`[^`]*`", "", line)


def unmarked_numbers(line):
    """Numbers in prose that carry no marker (identifiers such as broker-1 or acks=1 excepted)."""
    text = FIGURE.sub("", GIVEN.sub("", strip_code(line)))
    text = re.sub(r"<!--.*?-->", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    if text.lstrip().startswith("#"):
        return []  # a heading's number is the lesson's
    text = re.sub(r"^\|\s*\d+\s*\|", "|", text)  # a table's first cell: the lesson's number
    found = []
    for m in re.finditer(NUMBER, text):
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or before in "-_=./#\u2013" or after.isalpha() or after in "_-/":
            continue
        word = text[:m.start()].split()[-1:] or [""]
        if word[0].strip("(*").lower() in NAMING_WORDS:
            continue  # "lesson 7", "Kafka 2.4", "seed 1": a name, not a figure
        found.append(m.group(0))
    return found


def check_file(path, runs, source_dir, failures, rewrite=False):
    with open(path) as f:
        lines = f.read().split("\n")
    rewritten = False
    rel = os.path.relpath(path, source_dir)
    aliases = {}
    for line in lines:
        for m in RUN_DEF.finditer(line):
            aliases[m.group(1)] = m.group(2)
    lint = False
    checked = 0
    in_code = False
    pending_output = None
    block = []
    for number, line in enumerate(lines, 1):
        where = f"{rel}:{number}"
        if EVERY in line:
            lint = True
        if END_EVERY in line:
            lint = False
        if line.lstrip().startswith("```"):
            if in_code and pending_output is not None:
                check_output(pending_output, block, runs, aliases, failures)
                checked += 1
                pending_output = None
            in_code = not in_code
            block = []
            continue
        if in_code:
            block.append((where, line))
            continue
        m = OUTPUT_DEF.search(line)
        if m:
            pending_output = (where, m.group(1))
        replacements = []
        for m in FIGURE.finditer(line):
            checked += 1
            try:
                alias, selector, scale, tolerance = split_marker(m.group(2))
                if alias not in aliases:
                    raise Failure(f"{where}: no `<!-- run {alias}: ... -->` in {rel}")
                run = runs.get(aliases[alias])
                scenario = os.path.join(source_dir, run["args"][1])
                fresh = select(run, scenario, selector, where) * scale
                quoted, decimals = quoted_value(m.group(1))
                if not matches(quoted, decimals, fresh, tolerance):
                    if rewrite:
                        replacements.append((m.start(1), m.end(1),
                                             written_like(m.group(1), fresh, decimals)))
                    raise Failure(f"{where}: quotes {m.group(1)} for [{m.group(2).strip()}], "
                                  f"a fresh run gives {fresh:.{max(decimals, 0)}f} ({fresh!r})")
            except Failure as e:
                failures.append(str(e))
            except (KeyError, IndexError, ValueError) as e:
                failures.append(f"{where}: bad marker [{m.group(2).strip()}]: {e!r}")
        for start, end, text in reversed(replacements):
            line = line[:start] + text + line[end:]
        if replacements:
            lines[number - 1] = line
            rewritten = True
            failures.append(f"{where}: rewritten: {line.strip()}")
        if lint:
            for n in unmarked_numbers(line):
                failures.append(f"{where}: the figure {n} has no marker (<!--=ALIAS ...--> "
                                "for an output, <!--given--> for an input)")
    if rewritten:
        with open(path, "w") as f:
            f.write("\n".join(lines))
    return checked


def check_output(pending, block, runs, aliases, failures):
    where, alias = pending
    if alias not in aliases:
        failures.append(f"{where}: no `<!-- run {alias}: ... -->`")
        return
    try:
        run = runs.get(aliases[alias])
    except Failure as e:
        failures.append(str(e))
        return
    # The table is the same with or without the --json and --timeline the check adds.
    fresh = set(l.rstrip() for l in run["stdout"].split("\n"))
    for line_where, line in block:
        if line.strip() in ("...", "") or line.startswith("$ "):
            continue
        if line.rstrip() not in fresh:
            failures.append(f"{line_where}: not in the output of `kafkasim {aliases[alias]}`: "
                            f"{line.strip()!r}")


def main(argv):
    rewrite = "--rewrite" in argv
    argv = [a for a in argv if a != "--rewrite"]
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    kafkasim, source_dir, work_dir = (os.path.abspath(a) for a in argv[1:4])
    os.makedirs(work_dir, exist_ok=True)
    files = argv[4:]
    if not files:
        files = [os.path.join(source_dir, "README.md")]
        for root, _, names in os.walk(os.path.join(source_dir, "docs")):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".md")]
    runs = Runs(kafkasim, source_dir, work_dir)
    failures = []
    total = 0
    for path in sorted(files):
        total += check_file(path, runs, source_dir, failures, rewrite)
    for failure in failures:
        print(failure)
    print(f"check_doc_figures: {total} figure(s) and output block(s) checked against "
          f"{len(runs.cache)} fresh run(s); {len(failures)} problem(s)")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
