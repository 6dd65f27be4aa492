"""The Open edX load-test scenario, run by Locust (`tutor eks loadtest` starts it).

Read by Locust only, never imported by the plugin. Its inputs come from environment
variables the command sets (credentials never travel on a command line):
LOADTEST_COURSE_ID, LOADTEST_USERNAME, LOADTEST_PASSWORD, LOADTEST_STUDIO_HOST,
LOADTEST_PROBLEM_BLOCK, LOADTEST_PROBLEM_ANSWER.

Request names are the page names of the summary (`PAGES` in loadtest.py).
"""

from __future__ import annotations

import os

from locust import HttpUser, SequentialTaskSet, between, task

COURSE_ID = os.environ.get("LOADTEST_COURSE_ID", "course-v1:OpenedX+DemoX+DemoCourse")
USERNAME = os.environ.get("LOADTEST_USERNAME", "")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
STUDIO_HOST = os.environ.get("LOADTEST_STUDIO_HOST", "").rstrip("/")
PROBLEM_BLOCK = os.environ.get("LOADTEST_PROBLEM_BLOCK", "")
PROBLEM_ANSWER = os.environ.get("LOADTEST_PROBLEM_ANSWER", "")


def _log_in(user: HttpUser) -> None:
    """The LMS login the authn MFE performs: CSRF token, then the login session API."""
    user.client.get("/csrf/api/v1/token", name="login csrf")
    token = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        "/api/user/v2/account/login_session/",
        data={"email_or_username": USERNAME, "password": PASSWORD},
        headers={"X-CSRFToken": token, "Referer": user.host},
        name="login",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"login refused: {response.status_code}")


def _status_below_400(response) -> None:  # type: ignore[no-untyped-def]
    if response.status_code >= 400:
        response.failure(f"status {response.status_code}")
    else:
        response.success()


class AnonymousVisitor(HttpUser):
    """Someone browsing the catalogue without an account."""

    weight = 6
    wait_time = between(0.5, 2)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def catalog(self) -> None:
        self.client.get("/courses", name="catalog")

    @task(2)
    def course_about(self) -> None:
        self.client.get(f"/courses/{COURSE_ID}/about", name="course about")


if USERNAME and PASSWORD:

    class LearnerSession(SequentialTaskSet):
        """One study session, in order: dashboard, the course, a problem answered."""

        @task
        def dashboard(self) -> None:
            # The legacy dashboard redirects to the learner-dashboard MFE: both prove it.
            with self.client.get("/dashboard", name="dashboard", allow_redirects=False,
                                 catch_response=True) as response:
                _status_below_400(response)

        @task
        def courseware(self) -> None:
            self.client.get(f"/api/courseware/course/{COURSE_ID}", name="courseware")

        @task
        def problem_submit(self) -> None:
            if not PROBLEM_BLOCK:
                return
            self.client.post(
                f"/courses/{COURSE_ID}/xblock/{PROBLEM_BLOCK}/handler/xmodule_handler/"
                "problem_check",
                data=PROBLEM_ANSWER,
                headers={
                    "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": self.user.host,
                },
                name="problem submit",
            )

    class Learner(HttpUser):
        """A logged-in learner repeating study sessions."""

        weight = 3
        wait_time = between(0.5, 2)
        tasks = [LearnerSession]

        def on_start(self) -> None:
            _log_in(self)

    if STUDIO_HOST:

        class StudioAuthor(HttpUser):
            """A course author in Studio: SSO through the LMS, then the course outline."""

            weight = 1
            wait_time = between(1, 3)

            def on_start(self) -> None:
                _log_in(self)
                # Studio's /login/ runs the OAuth dance with the LMS session just made.
                with self.client.get(f"{STUDIO_HOST}/login/", name="studio login",
                                     catch_response=True) as response:
                    _status_below_400(response)

            @task
            def course_outline(self) -> None:
                self.client.get(
                    f"{STUDIO_HOST}/api/contentstore/v1/course_index/{COURSE_ID}",
                    name="course outline",
                )
