#!/usr/bin/env python3
"""Assembles the page: web/page/index.html with every /*@name@*/ replaced by its file, so that
the result is one self-contained HTML file (the WebAssembly module is inlined in kafkasim.js,
uPlot is vendored, the lessons are scenarios/*.json). Nothing in it is fetched when it opens.

    assemble.py KAFKASIM_JS OUT_HTML
"""
import json
import pathlib
import re
import sys

from sources import sources_digest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = ROOT / "web" / "page"
UPLOT = ROOT / "web" / "vendor" / "uplot"


def script_safe(text: str) -> str:
    """Text that cannot end the <script> element holding it (the HTML parser ends a script at
    the first "</script", whatever the script's type; "<\\/" means "</" in JS and JSON strings)."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def main() -> int:
    kafkasim_js, out_html = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    lessons = {path.stem: path.read_text(encoding="utf-8")
               for path in sorted((ROOT / "scenarios").glob("*.json")) if path.stem != "schema"}
    parts = {
        "sources_digest": sources_digest(ROOT),
        "uplot_css": (UPLOT / "uPlot.min.css").read_text(encoding="utf-8"),
        "style_css": (PAGE / "style.css").read_text(encoding="utf-8"),
        "lessons_json": script_safe(json.dumps(lessons, ensure_ascii=False)),
        "worker_js": script_safe(kafkasim_js.read_text(encoding="utf-8") + "\n" +
                                 (PAGE / "worker.js").read_text(encoding="utf-8")),
        "uplot_js": script_safe((UPLOT / "uPlot.iife.min.js").read_text(encoding="utf-8")),
        "charts_js": script_safe((PAGE / "charts.js").read_text(encoding="utf-8")),
        "cluster_view_js": script_safe((PAGE / "cluster_view.js").read_text(encoding="utf-8")),
        "app_js": script_safe((PAGE / "app.js").read_text(encoding="utf-8")),
    }
    template = (PAGE / "index.html").read_text(encoding="utf-8")
    used = set()

    def part(match: re.Match) -> str:
        used.add(match.group(1))
        return parts[match.group(1)]

    page = re.sub(r"/\*@(\w+)@\*/", part, template)
    missing = set(parts) - used
    if missing:
        print(f"assemble.py: the template does not use {sorted(missing)}", file=sys.stderr)
        return 1
    temporary = out_html.with_suffix(".tmp")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(out_html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
