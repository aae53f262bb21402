#!/usr/bin/env python3
"""The built page in Firefox (Debian's firefox-esr, headless), from file://: it loads, runs the
leader-crash lesson in its Web Worker and shows the command line's table byte for byte, draws the
cluster and tells a lost record's story. Debian has no geckodriver, so this drives Firefox over
its own remote protocol, Marionette (a TCP socket, length-prefixed JSON: no extra package).

    test_firefox.py KAFKASIM PAGE_HTML

Not in CI (scripts/setup.sh does not install Firefox: 80 MB more to download); run it by hand
after `apt-get install firefox-esr` (docs/browser.md, "Tests"). Exit 77 when Firefox is missing.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
LESSON = "leader-crash"


class Marionette:
    def __init__(self, port: int):
        deadline = time.time() + 60
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        self.buffer = b""
        self.next_id = 1
        self.receive()  # the server's hello

    def receive(self):
        while b":" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        length, rest = self.buffer.split(b":", 1)
        while len(rest) < int(length):
            rest += self.sock.recv(65536)
        self.buffer = rest[int(length):]
        return json.loads(rest[:int(length)])

    def command(self, name: str, parameters: dict):
        message_id = self.next_id
        self.next_id += 1
        data = json.dumps([0, message_id, name, parameters]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            reply = self.receive()
            if reply[0] == 1 and reply[1] == message_id:
                if reply[2] is not None:
                    raise RuntimeError(f"{name}: {reply[2]}")
                return reply[3]

    def script(self, body: str):
        return self.command("WebDriver:ExecuteScript", {"script": body, "args": []})["value"]

    def wait(self, condition: str, seconds: float = 120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.script(f"return Boolean({condition})"):
                return
            time.sleep(0.2)
        raise TimeoutError(condition)


def main() -> int:
    native, page = sys.argv[1:3]
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if firefox is None:
        print("SKIPPED: Firefox is not installed (apt-get install firefox-esr)")
        return SKIP
    table = subprocess.run([native, "run", f"scenarios/{LESSON}.json"], check=True,
                           capture_output=True, text=True).stdout
    profile = tempfile.mkdtemp(prefix="kafkasim-firefox-")
    port = 2828 + os.getpid() % 1000
    with open(os.path.join(profile, "user.js"), "w") as prefs:
        prefs.write(f'user_pref("marionette.port", {port});\n')
    started = time.time()
    browser = subprocess.Popen([firefox, "--headless", "--marionette", "--no-remote", "--profile",
                                profile], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        m = Marionette(port)
        m.command("WebDriver:NewSession", {"capabilities": {}})
        m.command("WebDriver:Navigate", {"url": "file://" + os.path.abspath(page) + "#" + LESSON})
        m.wait("document.getElementById('run').textContent === 'Run' && "
               "!document.getElementById('run').disabled")
        m.script("document.getElementById('run').click()")
        m.wait("/ in /.test(document.getElementById('status').textContent) && "
               "!document.getElementById('results').hidden")
        status = m.script("return document.getElementById('status').textContent")
        shown = m.script("return document.getElementById('cli-table').textContent")
        if shown != table:
            print(f"FAIL: Firefox shows another table:\n{shown}\n---\n{table}")
            return 1
        m.wait("document.querySelectorAll('#cluster-svg .node').length > 0")
        m.script("document.querySelector('#lost-lists li').click()")
        m.wait("document.querySelector('#story li[data-kind=\"truncation\"]')")
        truncation = m.script(
            "return document.querySelector('#story li[data-kind=\"truncation\"]').textContent")
        print(f"firefox: {status}; the table is the command line's; story: {truncation}")
        print(f"firefox: {time.time() - started:.1f} s in all, start included")
        m.command("Marionette:Quit", {"flags": ["eForceQuit"]})
    finally:
        try:
            browser.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
