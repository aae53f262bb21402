#!/usr/bin/env python3
"""The digest of everything the built page is made from: the model's sources (what em++
compiles), the WebAssembly entry point and its build files, the page's own files, the charting
library and the lessons. assemble.py writes it into the page (<meta name="kafkasim-sources">),
and tests/web/test_published.py compares the digest in docs/kafkasim.html with the sources' now:
the committed page is stale exactly when they differ (web/publish.sh refreshes it). Cheap (no
build: about 2 MB of files read) and robust (a file added, removed or changed anywhere in these
sets changes it, whatever the timestamps or the checkout).

    sources.py            prints the digest of this checkout's sources
"""
import hashlib
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]

# (directory, pattern): the files under ROOT that make the page.
INPUTS = [
    ("", "CMakeLists.txt"),
    ("sim", "**/*.cpp"), ("sim", "**/*.h"),
    ("include", "**/*.h"),
    ("web", "*.cpp"), ("web", "*.cmake"), ("web", "CMakeLists.txt"), ("web", "build.sh"),
    ("web/page", "*.js"), ("web/page", "*.css"), ("web/page", "*.html"), ("web/page", "*.py"),
    ("web/vendor/uplot", "*.js"), ("web/vendor/uplot", "*.css"),
    ("scenarios", "*.json"),
]

# The command line's own sources: not in the page.
EXCLUDED = ("sim/cli/",)


def source_files(root: pathlib.Path = ROOT) -> list:
    files = set()
    for directory, pattern in INPUTS:
        base = root / directory if directory else root
        files.update(p for p in base.glob(pattern)
                     if p.is_file() and not p.relative_to(root).as_posix().startswith(EXCLUDED))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def sources_digest(root: pathlib.Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in source_files(root):
        name = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big") + data)
    return "sha256:" + digest.hexdigest()


if __name__ == "__main__":
    print(sources_digest())
