"""Drive Debian's headless Chromium over the DevTools protocol (``--remote-debugging-pipe``).

No extra package: the protocol's JSON messages go through two pipes (the browser reads fd 3 and
writes fd 4, each message ends with a NUL byte). Used by the browser tests and to take the
README's screenshot. Every wait is bounded; :meth:`Chromium.close` ends the browser by its
process id and removes its fresh profile folder.

While a page is open the driver records every network request, console error, uncaught
exception, error log entry and JavaScript dialog (dialogs are dismissed), so a caller can check
that a page made no request and ran nothing it should not.

>>> import shutil
>>> CHROMIUM if shutil.which(CHROMIUM) else None  # doctest: +SKIP
'/usr/bin/chromium'
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("OKG_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


class BrowserError(RuntimeError):
    """The browser could not be started, did not answer in time, or a script failed."""


def available(executable: str = CHROMIUM) -> bool:
    return shutil.which(executable) is not None


def _high(*fds: int) -> tuple[int, ...]:
    """The fds moved to numbers above 9, so that the child's dup2 onto 3 and 4 cannot clobber
    them (nor be a no-op that leaves them close-on-exec)."""
    out = []
    for fd in fds:
        out.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return tuple(out)


class Chromium:
    """A headless Chromium with one page; use as a context manager."""

    def __init__(
        self,
        executable: str = CHROMIUM,
        width: int = 1400,
        height: int = 900,
        timeout: float = 30.0,
    ):
        self.executable = executable
        self.width, self.height = width, height
        self.timeout = timeout
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self._id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._session: str | None = None
        self._profile = ""
        self._to_child: int | None = None
        self._from_child: int | None = None
        self.proc: subprocess.Popen | None = None

    # -- life cycle --------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        if not available(self.executable):
            raise BrowserError(f"{self.executable} is not installed")
        self._profile = tempfile.mkdtemp(prefix="okg-chromium-")
        to_child_r, self._to_child = _high(*os.pipe())
        self._from_child, from_child_w = _high(*os.pipe())

        def wire() -> None:  # in the child, before exec: the protocol's fds 3 and 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        cmd = [
            self.executable,
            *FLAGS,
            f"--user-data-dir={self._profile}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,
            start_new_session=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        threading.Thread(target=self._read, args=(self._from_child,), daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self._session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )

    def close(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                self.call("Browser.close", session=False, timeout=5)
            except BrowserError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        for fd in (self._to_child, self._from_child):
            if fd is not None:
                os.close(fd)
        self._to_child = self._from_child = None
        self.proc = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)

    # -- protocol ------------------------------------------------------------------------
    def _read(self, fd: int) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                self._dispatch(json.loads(raw))

    def _dispatch(self, msg: dict) -> None:
        if "id" in msg:
            q = self._replies.get(msg["id"])
            if q is not None:
                q.put(msg)
            return
        method, params = msg.get("method", ""), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(
                "console: "
                + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
                )
            )
        elif method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            self.errors.append(
                "exception: " + str(d.get("exception", {}).get("description", d.get("text", "")))
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.errors.append("log: " + params["entry"].get("text", ""))
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self._send("Page.handleJavaScriptDialog", {"accept": False}, self._session)
        self._events.put(msg)

    def _send(self, method: str, params: dict | None, session: str | None) -> int:
        with self._lock:
            self._id += 1
            mid = self._id
            self._replies[mid] = queue.Queue()
            msg: dict[str, object] = {"id": mid, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            data = json.dumps(msg).encode("utf-8") + b"\0"
            while data:
                data = data[os.write(self._to_child, data) :]
        return mid

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: bool = True,
        timeout: float | None = None,
    ) -> dict:
        """Send one command and wait (bounded) for its result."""
        try:
            mid = self._send(method, params, self._session if session else None)
        except OSError as exc:
            raise BrowserError(f"{method}: the browser is gone ({exc})") from None
        try:
            reply = self._replies[mid].get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise BrowserError(f"{method}: no answer in {timeout or self.timeout} s") from None
        finally:
            self._replies.pop(mid, None)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    # -- page --------------------------------------------------------------------------
    def open(
        self,
        path: Path | str,
        ready: str | None = "window.okgReady === true",
        timeout: float | None = None,
    ) -> float:
        """Load a file and wait until *ready* (a JS expression) is true; seconds it took."""
        url = Path(path).resolve().as_uri() if "://" not in str(path) else str(path)
        start = time.monotonic()
        self.call("Page.navigate", {"url": url})
        if ready:
            self.wait_for(ready, timeout)
        return time.monotonic() - start

    def evaluate(self, expression: str) -> object:
        """The value of a JS expression in the page (JSON-able values only)."""
        res = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in res:
            d = res["exceptionDetails"]
            raise BrowserError(f"{expression!r}: {d.get('exception', {}).get('description', d)}")
        return res.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float | None = None) -> None:
        limit = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < limit:
            try:
                if self.evaluate(expression):
                    return
            except BrowserError:
                pass
            time.sleep(0.1)
        raise BrowserError(f"{expression!r} still false after {timeout or self.timeout} s")

    def screenshot(self, out: Path | str) -> Path:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(data))
        return out


def screenshot(
    page: Path | str, out: Path | str, width: int = 1400, height: int = 900, timeout: float = 60.0
) -> Path:
    """Open a page written by :mod:`okg.viz.page` in headless Chromium and save a PNG of it."""
    with Chromium(width=width, height=height, timeout=timeout) as browser:
        browser.open(page)
        browser.evaluate("new Promise(r => requestAnimationFrame(() => r(true)))")
        return browser.screenshot(out)
