#!/usr/bin/env python3
"""The page kept in the repository (docs/kafkasim.html) is current with its sources: the digest
it was built from (its <meta name="kafkasim-sources">, web/page/sources.py) is the digest of the
sources now. No build needed, so it runs everywhere (a second of CPU). When the page was also
built here (BUILT_HTML exists) from these same sources, the two are the same bytes: the build is
reproducible, so a difference means the committed page was not made by web/publish.sh from them
(or another Emscripten made it).

    test_published.py REPOSITORY [BUILT_HTML]
"""
import pathlib
import re
import sys


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(root / "web" / "page"))
    from sources import sources_digest  # noqa: E402 (the repository's own module)

    page = root / "docs" / "kafkasim.html"
    if not page.is_file():
        print(f"FAIL: {page} is missing: run web/publish.sh and commit it")
        return 1
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<meta name="kafkasim-sources" content="([^"]*)">', text)
    if match is None:
        print(f"FAIL: {page} has no kafkasim-sources digest: run web/publish.sh and commit it")
        return 1
    now = sources_digest(root)
    if match.group(1) != now:
        print(f"FAIL: docs/kafkasim.html is stale: built from sources {match.group(1)}, the "
              f"sources are now {now}.\nRun web/publish.sh and commit docs/kafkasim.html.")
        return 1
    print(f"docs/kafkasim.html is current ({now})")
    if len(sys.argv) > 2:
        built = pathlib.Path(sys.argv[2])
        if built.is_file():
            if built.read_bytes() != page.read_bytes():
                print(f"FAIL: {built}, built here from the same sources, differs from "
                      "docs/kafkasim.html: run web/publish.sh and commit it")
                return 1
            print(f"and byte-identical to {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
