"""SPARQL servers the tests start on 127.0.0.1 and stop by process id: Virtuoso 7 (Debian's
``virtuoso-opensource``) with a configuration in a temp folder.

Virtuoso's defaults are rewritten in a copy of the package's ``virtuoso.ini``: database, log,
lock and transaction files in the temp folder, both ``ServerPort`` lines (SQL and HTTP) on free
127.0.0.1 ports. Anonymous SPARQL Update is refused until ``GRANT SPARQL_UPDATE TO "SPARQL"``,
sent through ``isql-vt`` on the SQL port (user ``dba``, the fresh database's password ``dba``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_PACKAGE = "virtuoso-opensource"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here, or None."""
    for tool in ("virtuoso-t", "isql-vt"):
        if shutil.which(tool) is None:
            return f"{tool} not found (apt-get install {VIRTUOSO_PACKAGE})"
    if not VIRTUOSO_INI.exists():
        return f"{VIRTUOSO_INI} not found (apt-get install {VIRTUOSO_PACKAGE})"
    return None


def _config(
    folder: Path, sql_port: int, http_port: int, settings: dict[tuple[str, str], str] | None = None
) -> str:
    """*settings*: more values, ``{(section, key): value}``, each replacing a line of the file."""
    todo = dict(settings or {})
    text = VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace")
    section = ""
    out = []
    for line in text.splitlines():
        head = re.match(r"\s*\[(\w[^\]]*)\]", line)
        if head:
            section = head.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        name = key.group(1) if key else None
        if name in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile"):
            stem = "temp" if section == "TempDatabase" else "virtuoso"
            ext = {"DatabaseFile": "db", "ErrorLogFile": "log", "LockFile": "lck"}.get(name, "trx")
            line = f"{name} = {folder / f'{stem}.{ext}'}"
        elif name == "xa_persistent_file":
            line = f"{name} = {folder / 'virtuoso.pxa'}"
        elif name == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif name == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif name == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        elif (section, name) in todo:
            line = f"{name} = {todo.pop((section, name))}"
        out.append(line)
    if todo:
        raise ValueError(f"not in {VIRTUOSO_INI}: {sorted(todo)}")
    return "\n".join(out) + "\n"


class VirtuosoServer:
    """``virtuoso-t +foreground`` on free 127.0.0.1 ports, SPARQL Update granted to the anonymous
    SPARQL user; :meth:`stop` ends it by its pid."""

    def __init__(
        self,
        folder: Path,
        wait_s: float = 60.0,
        settings: dict[tuple[str, str], str] | None = None,
    ):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.sql_port = free_port()
        self.http_port = free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(_config(folder, self.sql_port, self.http_port, settings), encoding="utf-8")
        self.log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            self._wait(wait_s)
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except BaseException:
            self.stop()
            raise

    def _wait(self, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        probe = f"{self.query_url}?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode}: {self.tail()}")
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not answer in {wait_s:g} s: {self.tail()}")

    def tail(self) -> str:
        try:
            return (self.folder / "stdout.log").read_text(errors="replace")[-600:]
        except OSError:
            return ""

    def isql(self, statement: str) -> str:
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r}: {done.stdout[-300:]}{done.stderr[-300:]}")
        return done.stdout

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    update_url = query_url

    @property
    def port(self) -> int:
        """The HTTP (SPARQL) port."""
        return self.http_port

    def kill(self) -> None:
        """SIGKILL by pid (what a crash leaves: the transaction log is replayed on restart)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, 9)
            self.proc.wait(timeout=30)

    def start(self, wait_s: float = 120.0) -> None:
        """Restart on the same folder and ports after :meth:`kill` (its stale lock removed)."""
        (self.folder / "virtuoso.lck").unlink(missing_ok=True)
        self.log.close()
        self.log = open(self.folder / "stdout.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            self._wait(wait_s)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, 9)
                self.proc.wait(timeout=10)
        self.log.close()


# -- an Oxigraph server that a test may SIGKILL and restart on the same folder (issue 13) --------


def oxigraph_binary() -> str:
    import sys

    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


class KillableOxigraph:
    """``oxigraph serve --location DIR --union-default-graph`` on a free 127.0.0.1 port.

    :meth:`kill` sends SIGKILL to its pid (no shutdown, no flush: what a crash leaves);
    :meth:`start` (re)starts it on the same folder, on a new port."""

    def __init__(self, location: Path, wait_s: float = 20.0):
        self.location = location
        self.wait_s = wait_s
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                "--timeout-s",
                "60",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + self.wait_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"oxigraph serve did not answer in {self.wait_s:g} s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    def kill(self) -> None:
        """SIGKILL by pid, then reap it."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, 9)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM by pid (SIGKILL after 10 s)."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
