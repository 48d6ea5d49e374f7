"""A real headless Chromium (Debian's `chromium`) for camp's end-to-end
tests, driven over the DevTools protocol on a pipe: with
--remote-debugging-pipe the browser reads JSON commands, each ended by a
NUL byte, on its fd 3 and writes answers and events the same way on fd 4.
Only Python's standard library is needed.

Browser.load(url) opens a page in a fresh tab and returns what it found:
the text a reader sees, values of JavaScript expressions evaluated in
the page afterwards (by DevTools, which the page's CSP does not bind),
and every error the page caused: uncaught exceptions, console errors,
errors the browser logged (a refused inline style or script, a failed
load) and Content-Security-Policy violations.  The browser runs as root
in a container, hence --no-sandbox; it talks to nothing but the URLs it
is given.
"""
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

import camplib

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Reports every CSP violation to the console, where load() collects it,
# whichever way the browser itself would have logged it.
CSP_WATCH = ("document.addEventListener('securitypolicyviolation', e => "
             "console.error('CSP violation: ' + e.violatedDirective + ' ' + "
             "e.blockedURI));")


class Page:
    """What one load found: text (document.body.innerText), values (the
    results of the expressions asked for), errors (strings), title."""

    def __init__(self, url):
        self.url = url
        self.text = ""
        self.title = ""
        self.values = {}
        self.errors = []


class Browser:
    def __init__(self, timeout=60):
        self.timeout = timeout
        self.dir = tempfile.mkdtemp(prefix="camp-chromium-")
        self.profile = os.path.join(self.dir, "profile")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire_fds():  # in the child: fd 3 reads commands, fd 4 answers
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--no-proxy-server",
                "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
                "about:blank"]
        self.log = open(os.path.join(self.dir, "chromium.log"), "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log,
                                     preexec_fn=wire_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []
        camplib.cleanup(self.close)

    # ---- the protocol ---------------------------------------------------

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                data = os.read(self.from_browser, 1 << 16)
                if not data:
                    raise AssertionError("chromium went away:\n" + self.log_text())
                self.buffer += data
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None):
        """Sends a command and waits for its answer; events that arrive
        meanwhile are kept in self.events.  Returns the result."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + self.timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise AssertionError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=None):
        """Waits for an event of a session (it may have come already)."""
        deadline = time.time() + (timeout or self.timeout)
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method and m.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def drain(self, seconds):
        """Collects the events that arrive within seconds."""
        deadline = time.time() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except AssertionError:
            pass

    # ---- pages ---------------------------------------------------------

    def load(self, url, expressions=(), media=None, settle=0.3):
        """Loads url in a new tab (with emulated CSS media features, e.g.
        [{"name": "prefers-color-scheme", "value": "dark"}], or "print"),
        then evaluates each expression; returns a Page."""
        page = Page(url)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = self.send("Target.attachToTarget", {"targetId": target,
                                                "flatten": True})["sessionId"]
        self.events = []
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable", session=s)
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH},
                  session=s)
        if media:
            params = {"media": media} if isinstance(media, str) else {"features": media}
            self.send("Emulation.setEmulatedMedia", params, session=s)
        nav = self.send("Page.navigate", {"url": url}, session=s)
        if nav.get("errorText"):
            page.errors.append("navigation: " + nav["errorText"])
        else:
            self.wait_event("Page.loadEventFired", s)
            self.drain(settle)
        for expr in ("document.body ? document.body.innerText : ''",
                     "document.title") + tuple(expressions):
            r = self.send("Runtime.evaluate", {"expression": expr,
                                               "returnByValue": True}, session=s)
            page.values[expr] = r.get("result", {}).get("value")
        page.text = page.values.pop("document.body ? document.body.innerText : ''")
        page.title = page.values.pop("document.title")
        self.drain(0.1)
        page.errors += self._errors(s)
        self.send("Target.closeTarget", {"targetId": target})
        return page

    def _errors(self, session):
        found = []
        for m in self.events:
            if m.get("sessionId") != session:
                continue
            p = m.get("params", {})
            if m["method"] == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                found.append("exception: %s" % d.get("exception", {}).get(
                    "description", d.get("text")))
            elif m["method"] == "Runtime.consoleAPICalled" and p["type"] in (
                    "error", "assert"):
                found.append("console.%s: %s" % (p["type"], " ".join(
                    str(a.get("value", a.get("description"))) for a in p["args"])))
            elif m["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                found.append("log (%s): %s" % (p["entry"]["source"],
                                               p["entry"]["text"]))
        return found

    def log_text(self):
        self.log.flush()
        with open(self.log.name, "rb") as f:
            return f.read().decode("utf-8", "replace")[-3000:]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("Browser.close")
            except (AssertionError, OSError):
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for fd in (self.to_browser, self.from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
