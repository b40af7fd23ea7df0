"""The benchmark of record (``make bench``, issue 13): the system timed at 10k, 100k and 500k cadres.

    python -m ganbu.bench [--cadres 10000,100000,500000] [--database postgres://…/ganbu]
                          [--repeat 7] [--output docs/benchmarks.md]
                          [--no-pages] [--no-interop] [--no-voting]

For each size the demo county is loaded into a throw-away database (its generation time is a row),
then, as the organization-department officer: every operation of issue 13's table (``operations``:
the cadre list's first, filtered, deep and last pages, the searches, the rank sort, every cadre
through the API, the dashboard, the roster export, the command line's start-up; ``campaign``: a
campaign of 1,000 applicants and its pages; ``ganbu.bench_voting``: the ballot close and count),
every list and detail page of the web UI (``pages``, from the URL resolver), and the data exchange
(``ganbu.bench_interop``). Each row gives N, the median and p95 in ms, the SQL queries, the peak
memory where relevant and the ratio to the raw SQL of the same query timed in the same process
(``measure``). ``--output`` writes the report with the machine described (``report``), kept as
``docs/benchmarks.md``. A benchmark reports; it never asserts (the suite asserts query counts:
``tests/perf/test_query_counts.py``).
"""

from ganbu.bench.report import _width
from ganbu.bench.run import main

__all__ = ["_width", "main"]  # _width: ganbu.bench_voting aligns its table with it
