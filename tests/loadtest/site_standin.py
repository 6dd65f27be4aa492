"""A tiny HTTP stand-in for an Open edX site under load, on 127.0.0.1.

Stands for the LMS and Studio behind CloudFront, which cannot run here. It imitates
what the load scenario touches: the pages' status codes, the CSRF cookie and the login
session API (wrong password -> 400), the session-gated dashboard (302 without a
session) and courseware API (401), the problem handler, and Studio's SSO through the
LMS. Every second courseware request fails with 500 so that error rates are non-zero.
"""

from __future__ import annotations

import http.server
import itertools
import json
import threading
import typing as t
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

PASSWORD = "a-learner-password"
COURSE = "course-v1:OpenedX+DemoX+DemoCourse"


class SiteState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.courseware = itertools.count(1)
        self.logins = 0
        self.paths: list[str] = []


def _handler(state: SiteState, lms_url: t.Callable[[], str], studio: bool
             ) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: t.Any) -> None:
            pass

        def _cookies(self) -> dict[str, str]:
            jar = SimpleCookie(self.headers.get("Cookie", ""))
            return {k: v.value for k, v in jar.items()}

        def _send(self, status: int, body: bytes = b"ok", headers: dict[str, str] | None = None
                  ) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            with state.lock:
                state.paths.append(("studio " if studio else "") + path)
            cookies = self._cookies()
            if studio:
                if path == "/login/":
                    # SSO: to the LMS authorize endpoint, which sends the browser back.
                    return self._send(302, headers={"Location": f"{lms_url()}/oauth2/authorize"
                                                    "?next=studio"})
                if path == "/complete/edx-oauth2/":
                    return self._send(302, headers={"Location": "/home",
                                                    "Set-Cookie": "studio_session=1; Path=/"})
                if path == "/home":
                    return self._send(200)
                if path.startswith("/api/contentstore/v1/course_index/"):
                    ok = cookies.get("studio_session") == "1"
                    return self._send(200 if ok else 401, b'{"courseStructure": {}}')
                return self._send(404)
            if path in ("/", "/courses", f"/courses/{COURSE}/about"):
                return self._send(200, b"<html>page</html>")
            if path == "/csrf/api/v1/token":
                return self._send(200, b'{"csrfToken": "tok"}',
                                  {"Set-Cookie": "csrftoken=tok; Path=/"})
            if path == "/oauth2/authorize":
                if cookies.get("sessionid") != "learner":
                    return self._send(302, headers={"Location": "/login"})
                return self._send(302, headers={"Location": f"{self.studio_url}"
                                                "/complete/edx-oauth2/"})
            logged_in = cookies.get("sessionid") == "learner"
            if path == "/dashboard":
                return self._send(200 if logged_in else 302, headers={} if logged_in else
                                  {"Location": "/login"})
            if path == f"/api/courseware/course/{COURSE}":
                if not logged_in:
                    return self._send(401)
                with state.lock:
                    n = next(state.courseware)
                return self._send(500 if n % 2 == 0 else 200, b"{}")
            return self._send(404)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode())
            path = self.path.split("?")[0]
            with state.lock:
                state.paths.append("POST " + path)
            cookies = self._cookies()
            csrf_ok = cookies.get("csrftoken") == "tok" and self.headers.get("X-CSRFToken") == "tok"
            if path == "/api/user/v2/account/login_session/":
                if not csrf_ok:
                    return self._send(403, b'{"detail": "CSRF"}')
                if form.get("password") != [PASSWORD]:
                    return self._send(400, b'{"success": false}')
                with state.lock:
                    state.logins += 1
                return self._send(200, b'{"success": true}',
                                  {"Set-Cookie": "sessionid=learner; Path=/"})
            if path.endswith("/handler/xmodule_handler/problem_check"):
                ok = csrf_ok and cookies.get("sessionid") == "learner" and "input_" in str(form)
                return self._send(200 if ok else 403, b'{"success": "correct"}')
            return self._send(404)

    return Handler


class Site:
    """The LMS and Studio stand-ins, each on its own port."""

    def __init__(self) -> None:
        self.state = SiteState()
        self.lms = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler(self.state, lambda: self.lms_url, False))
        self.studio = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler(self.state, lambda: self.lms_url, True))
        self.lms_url = f"http://127.0.0.1:{self.lms.server_address[1]}"
        self.studio_url = f"http://127.0.0.1:{self.studio.server_address[1]}"
        for server in (self.lms, self.studio):
            server.RequestHandlerClass.studio_url = self.studio_url  # type: ignore[attr-defined]
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        for server in (self.lms, self.studio):
            server.shutdown()
            server.server_close()


if __name__ == "__main__":  # a manual run: python -m tests.loadtest.site_standin
    site = Site()
    print(json.dumps({"lms": site.lms_url, "studio": site.studio_url}), flush=True)
    threading.Event().wait()
