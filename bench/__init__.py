"""Benchmarks of gemeinsinn that print figures, one JSON object per line (`make bench`).

They build a throw-away installation in a temporary directory (SQLite, demo data of
BENCH_SCALE), time pages in-process with Django's test client and under load against gunicorn
on 127.0.0.1. Settings: BENCH_SCALE (small|city|state, default small), BENCH_DURATION (seconds
of load per page, default 5), BENCH_REQUESTS (in-process requests per page, default 200),
BENCH_CONCURRENCY (open connections under load, default 4), BENCH_GENERATOR (auto|wrk|python:
the load generator; auto takes wrk when it is installed). bench/exchange.py adds the engagement
exchange at city scale (BENCH_EXCHANGE=0 skips it, BENCH_EXCHANGE_SCALE=state enlarges it; a
PostgreSQL DATABASE_URL or BENCH_DATABASE_URL makes it run on a fresh PostgreSQL database).
"""
