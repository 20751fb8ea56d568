"""Load test: the department dashboard query at a fixed concurrency against a running server.

    python bench/load.py [--url http://127.0.0.1:8000] [--concurrency 10] [--duration 60]
                         [--department STORE] [--period 2026-Q3] [--token JWT] [--header 'Name: value'] [--json]

Each of ``--concurrency`` clients sends the query, waits for the answer and sends it again,
for ``--duration`` seconds (a closed loop: the rate is what the server sustains). Reports
requests, req/s, p50 and p99 latency, and errors — an HTTP status other than 200, a GraphQL
``errors`` entry or a transport failure. Start a server first, e.g. ``salon demo``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

DASHBOARD = """
query Dashboard($code: String!, $period: Period!) {
  department(code: $code) {
    code name children { code name }
    gaps(period: $period) {
      metric { code name unit direction }
      actual previous target change attainment belowTarget worsening severity
      drivers { dimension segment share }
      feedback { theme count }
    }
    growthNeeds(period: $period) { skill share metricAverage relatedMetric { code name } }
  }
}
"""


@dataclass
class Report:
    seconds: float
    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms)
        requests = len(ordered) + sum(self.errors.values())
        return {
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 1),
            "requests": requests,
            "requests_per_second": round(requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(_quantile(ordered, 0.50), 1),
            "p99_ms": round(_quantile(ordered, 0.99), 1),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors.most_common(5)),
        }


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]


def headers_from(token: str | None, header_lines: list[str]) -> dict[str, str]:
    """``--token`` as a Bearer header, plus any ``--header 'Name: value'``."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    for line in header_lines:
        name, separator, value = line.partition(":")
        if not separator or not name.strip():
            raise SystemExit(f"--header {line!r}: expected 'Name: value'")
        headers[name.strip().lower()] = value.strip()
    return headers


async def _client(http: httpx.AsyncClient, body: dict, deadline: float, report: Report) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response = await http.post("/graphql", json=body)
            elapsed = (time.monotonic() - started) * 1000
            if response.status_code != 200:
                report.errors[f"HTTP {response.status_code}"] += 1
            elif response.json().get("errors"):
                report.errors[response.json()["errors"][0].get("message", "?")[:160]] += 1
            else:
                report.latencies_ms.append(elapsed)
        except httpx.HTTPError as error:
            report.errors[type(error).__name__] += 1


async def run(
    url: str,
    *,
    concurrency: int = 10,
    duration: float = 60.0,
    department: str = "STORE",
    period: str = "2026-Q3",
    headers: dict[str, str] | None = None,
) -> Report:
    body = {"query": DASHBOARD, "variables": {"code": department, "period": period}}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:
        started = time.monotonic()
        report = Report(seconds=0.0, concurrency=concurrency)
        deadline = started + duration
        await asyncio.gather(*(_client(http, body, deadline, report) for _ in range(concurrency)))
        report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--department", default="STORE")
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--token", help="sent as 'Authorization: Bearer TOKEN'")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.duration <= 0:
        parser.error("--concurrency must be at least 1 and --duration positive")
    report = asyncio.run(
        run(
            args.url,
            concurrency=args.concurrency,
            duration=args.duration,
            department=args.department,
            period=args.period,
            headers=headers_from(args.token, args.header),
        )
    )
    summary = report.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{summary['requests']} requests in {summary['seconds']} s at concurrency {summary['concurrency']}: "
            f"{summary['requests_per_second']} req/s, p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, "
            f"{summary['errors']} errors {summary['error_kinds'] or ''}"
        )
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
