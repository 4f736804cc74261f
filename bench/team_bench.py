"""The team's bench: `team pull` of 10 reps with 10,000 customers each, and how long a
`log` takes to reach the team's storage while `team replicate` runs.

    .venv/bin/python bench/team_bench.py [--reps 10] [--customers 10000] [--lag-samples 20]

Each rep's book is bench.py's seeded 10k book (100,000 touchpoints), its customers moved
along by 7,000 per rep, so that each rep shares 3,000 customers (by email) with the next:
a team of 10 holds 73,000 distinct customers and a million touchpoints. The books are
replicated to a folder on this disk once; `team pull` is then timed from a manager's book,
three times (median), with its peak memory.
"""

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import FOLLOWUP, OUT, build_database

from followup_cli.values import name_key

LITESTREAM = str(Path(sys.executable).with_name("litestream"))
SHIFT = 7_000


def rep_book(folder: Path, number: int, customers: int) -> Path:
    base = build_database(OUT / f"team-base-{customers}.db", customers, customers * 10, 500)
    path = folder / f"rep{number:02d}" / "followup.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(base, path)
    connection = sqlite3.connect(path)
    connection.create_function("name_key_of", 1, name_key)
    connection.execute("UPDATE customers SET email = 'moving' || id")  # no clash on the way
    connection.execute(
        "UPDATE customers SET email = 'customer' || (id + ?) || '@example.com', "
        "name = 'Customer ' || printf('%06d', id + ?) || substr(name, 16)",
        (number * SHIFT, number * SHIFT),
    )
    connection.execute("UPDATE customers SET name_key = name_key_of(name)")
    connection.commit()
    connection.close()
    return path


def run(book: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FOLLOWUP, "--db", str(book), *args], check=True, capture_output=True, text=True, **kwargs
    )


def time_pull(manager: Path, runs: int) -> None:
    walls, peaks = [], []
    for _ in range(runs):
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", FOLLOWUP, "--db", str(manager), "team", "pull"],
            check=True,
            capture_output=True,
            text=True,
        )
        wall, peak = done.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peaks.append(int(peak) / 1024)
        print(done.stdout.splitlines()[0], file=sys.stderr)
    print(
        f"team pull: median {statistics.median(walls):.1f} s of {walls}, "
        f"peak {max(peaks):.0f} MB resident"
    )


def replica_files(share: Path, rep: str) -> int:
    listing = subprocess.run(
        [LITESTREAM, "ltx", (share / rep).as_uri()], check=True, capture_output=True, text=True
    ).stdout
    return len(listing.strip().splitlines()) - 1


def measure_lag(folder: Path, share: Path, samples: int) -> None:
    """From the moment `followup log` returns to the moment the change is a file in the
    team's storage, polled every 10 ms."""
    book = folder / "lag" / "followup.db"
    book.parent.mkdir(parents=True, exist_ok=True)
    run(book, "add", "Acme Buyer")
    run(book, "team", "join", str(share), "--as", "lag")
    replicating = subprocess.Popen(
        [FOLLOWUP, "--db", str(book), "team", "replicate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(2)
    lags = []
    try:
        for number in range(samples):
            before = replica_files(share, "lag")
            run(book, "log", "Acme Buyer", "call", f"lag {number}")
            logged = time.monotonic()
            while replica_files(share, "lag") <= before:
                time.sleep(0.01)
            lags.append(time.monotonic() - logged)
            time.sleep(0.3)
    finally:
        replicating.terminate()
        replicating.wait()
    print(
        f"replication lag after a log: median {statistics.median(lags):.2f} s, "
        f"max {max(lags):.2f} s, min {min(lags):.2f} s ({samples} logs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--lag-samples", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    folder = OUT / "team"
    shutil.rmtree(folder, ignore_errors=True)
    share = folder / "share"
    share.mkdir(parents=True)
    started = time.monotonic()
    for number in range(options.reps):
        book = rep_book(folder, number, options.customers)
        run(book, "team", "join", str(share), "--as", f"rep{number:02d}")
    print(
        f"{options.reps} books built and replicated in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    manager = folder / "manager" / "followup.db"
    manager.parent.mkdir()
    run(manager, "team", "join", str(share), "--as", "manager")
    time_pull(manager, options.runs)
    measure_lag(folder, share, options.lag_samples)


if __name__ == "__main__":
    main()
