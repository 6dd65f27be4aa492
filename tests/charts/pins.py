"""Chart pins of stage 2 and their drift from the chart cache.

`python -m tests.charts.pins` prints one line per remote chart the stack installs,
`<chart> <version> <repository>`: scripts/fetch-charts.sh reads it, so the pins live
only in the .tf files.
"""

from __future__ import annotations

import re

from . import cache, stack

# A pin that differs from the cache's version carries this comment inside its
# helm_release block, with the reason: `# chart-pin: <why this version>`.
PIN_REASON = re.compile(r"#\s*chart-pin:\s*(\S.{15,})")


def remote(releases: dict[str, stack.Release]) -> list[stack.Release]:
    return [r for r in releases.values() if r.local_chart is None]


def drift_problem(release: stack.Release, cached_version: str) -> str | None:
    """A sentence when the pin differs from the cached chart without a written reason."""
    if release.version == cached_version:
        return None
    if PIN_REASON.search(release.text):
        return None
    return (
        f"{release.address} pins {release.chart} {release.version}, the chart cache holds "
        f"{cached_version}: move the pin to {cached_version} (or fetch {release.version} with "
        f"`{cache.FETCH} {release.chart}`), or write why next to the pin "
        "(`# chart-pin: <reason>` inside the block)"
    )


def main() -> None:
    for release in sorted(remote(stack.load().releases()), key=lambda r: r.chart):
        print(release.chart, release.version, release.repository)


if __name__ == "__main__":
    main()
