"""Times whole followup commands as a user runs them, on synthetic databases.

Usage: python bench/bench.py [--quick] [--runs N]   (make bench)
Builds (once, cached in bench/out/) a 10,000-customer / 200,000-touchpoint database and a
100,000 / 2,000,000 one, then runs each command N times in a fresh process and prints one
Markdown table, ready for the README: the median wall time on each book, the ratio between
them, Python's own start-up as the floor, and taskwarrior's `task next` on as many tasks
beside `followup due` when taskwarrior is installed. Then the imports, and the mail import.
"""

import argparse
import base64
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mail_bench import bench_mail
from taskwarrior import build_tasks, task_command

from followup_cli.store import open_store
from followup_cli.values import name_key  # the store keeps it beside each name

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
FOLLOWUP = str(Path(sys.executable).with_name("followup"))
TODAY = dt.date(2026, 11, 24)
KINDS = ["call", "email", "meeting", "visit", "message", "note", "sale"]
TAGS = ["vip", "wholesale", "retail", "north", "south", "golf"]


# The shapes of book stats and pitch are timed on: which kinds the touchpoints are drawn
# from, and whether each customer's history opens with a sale.
SHAPES = {
    "mixed": (KINDS, False),
    "everyone bought": (KINDS, True),
    "nobody bought": ([kind for kind in KINDS if kind != "sale"], False),
}


def build_database(
    path: Path, customers: int, touchpoints: int, follow_ups: int, shape: str = "mixed"
) -> Path:
    """A seeded, realistic book: uneven histories, a few tags, sales, referrals, promises.
    Written by SQL, as another tool would; opening it derives the rest (store/derived.py)."""
    if path.exists():
        return _up_to_date(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    open_store(partial).close()  # an empty book at the current schema
    rng = random.Random(20261124)
    connection = sqlite3.connect(partial)
    connection.execute("PRAGMA synchronous = OFF")
    customer_rows = []
    for number in range(1, customers + 1):
        tags = rng.sample(TAGS, rng.choice([0, 0, 1, 1, 2]))
        name = f"Customer {number:06d} {rng.choice(['Alpha', 'Beta', 'Gamma', 'Delta'])}"
        customer_rows.append(
            (
                number,
                name,
                name_key(name),
                f"customer{number}@example.com",
                f"+49 30 {number:07d}",
                f"Company {number % 997}",
                json.dumps(tags),
                rng.choice(["customer"] * 8 + ["prospect", "lost"]),
                rng.choice([None] * 9 + [14, 60]),
                (TODAY - dt.timedelta(days=rng.randint(30, 1500))).isoformat(),
            )
        )
    connection.executemany(
        "INSERT INTO customers (id, name, name_key, email, phone, company, tags, status, "
        "cadence_days, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        customer_rows,
    )
    kinds, everyone_bought = SHAPES[shape]
    touchpoint_rows = []
    for number in range(touchpoints):
        kind = "sale" if everyone_bought and number < customers else rng.choice(kinds)
        touchpoint_rows.append(
            (
                number + 1 if everyone_bought and number < customers else rng.randint(1, customers),
                (TODAY - dt.timedelta(days=int(rng.expovariate(1 / 200)))).isoformat(),
                kind,
                "synthetic touchpoint",
                round(rng.uniform(50, 5000), 2) if kind == "sale" else None,
                "2026-01-01T00:00:00+00:00",
            )
        )
    connection.executemany(
        "INSERT INTO touchpoints (customer_id, date, kind, note, amount, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        touchpoint_rows,
    )
    connection.executemany(
        "INSERT INTO followups (customer_id, due_on, note, created_on) VALUES (?, ?, ?, ?)",
        (
            (
                rng.randint(1, customers),
                (TODAY + dt.timedelta(days=rng.randint(-20, 40))).isoformat(),
                "synthetic promise",
                TODAY.isoformat(),
            )
            for _ in range(follow_ups)
        ),
    )
    connection.executemany(
        "INSERT OR IGNORE INTO referrals (referrer_id, referred_id, date, created_on) "
        "VALUES (?, ?, ?, ?)",
        (
            (
                rng.randint(1, customers),
                rng.randint(1, customers),
                (TODAY - dt.timedelta(days=rng.randint(0, 700))).isoformat(),
                TODAY.isoformat(),
            )
            for _ in range(customers // 20)
        ),
    )
    connection.execute("DELETE FROM referrals WHERE referrer_id = referred_id")
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    partial.rename(path)
    return _up_to_date(path)


def _up_to_date(path: Path) -> Path:
    """Migrated to this followup's schema, and the summaries of the rows written above
    (by SQL, as another tool would) brought up to date: no timed run pays for either."""
    store = open_store(path)  # derives what the rows above changed
    store.summaries_current()
    store.close()
    return path


def write_customer_csv(path: Path, rows: int) -> Path:
    """name, email, phone, company, tags, notes: the file the import targets are stated for."""
    if path.exists():
        return path
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name,email,phone,company,tags,notes\n")
        for number in range(rows):
            tags = ",".join(rng.sample(TAGS, rng.choice([0, 1, 2])))
            handle.write(
                f"Person {number} {rng.choice(['Alpha', 'Beta', 'Gamma'])},"
                f"person{number}@example.com,+49 30 {number:07d},Company {number % 997},"
                f'"{tags}",Met at fair {number}\n'
            )
    return path


_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed_once(args: list[str], env: dict) -> tuple[float, float]:
    """Wall ms and the peak RSS in MB of one command, measured through a fresh parent so
    that no earlier child's peak is counted."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *args],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, int(result.stdout.strip()) / 1024


def bench_import(env: dict, runs: int, with_million: bool) -> None:
    csv_100k = write_customer_csv(OUT / "customers-100k.csv", 100_000)
    target = OUT / "import.db"
    import_100k = [FOLLOWUP, "--db", str(target), "import", "customers", str(csv_100k)]

    def fresh(create: bool) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if create:  # an empty book, as `followup` leaves it after its first command
            open_store(target).close()

    utils = OUT / "sqlite-utils.db"
    sqlite_utils = str(Path(sys.executable).with_name("sqlite-utils"))
    utils_insert = [sqlite_utils, "insert", str(utils), "customers", str(csv_100k), "--csv"]
    shell = OUT / "sqlite3-shell.db"
    shell_import = ["sqlite3", str(shell), ".mode csv", f".import {csv_100k} customers"]
    has_shell = shutil.which("sqlite3") is not None
    # Rounds interleave every contender, so that a slow moment of the machine hits them alike.
    news, empties, agains, undos, utils_runs, shell_runs = [], [], [], [], [], []
    undo = [FOLLOWUP, "--db", str(target), "undo"]
    for round_number in range(max(5, runs // 3)):
        fresh(create=False)
        news.append(timed_once(import_100k, env)[0])
        fresh(create=True)
        empties.append(timed_once(import_100k, env)[0])
        agains.append(timed_once(import_100k, env)[0])
        undos.append(timed_once(undo, env)[0])  # the import before: the again changed nothing
        if has_shell:
            shell.unlink(missing_ok=True)
            shell_runs.append(timed_once(shell_import, env)[0])
        if round_number < 3:
            utils.unlink(missing_ok=True)
            utils_runs.append(timed_once(utils_insert, env)[0])
    new, empty, again = (statistics.median(runs) for runs in (news, empties, agains))
    print(f"| followup import customers (100k rows, new db) | {new:.0f} | |")
    print(f"| followup import customers (100k rows, existing empty db) | {empty:.0f} | |")
    print(f"| the same file again (all unchanged) | {again:.0f} | |")
    print(f"| followup undo of that 100k-row import | {statistics.median(undos):.0f} | |")
    utils_ms = statistics.median(utils_runs)
    print(
        f"| sqlite-utils insert --csv (same file) | {utils_ms:.0f} | followup is "
        f"{utils_ms / empty:.1f}x faster ({utils_ms / new:.1f}x, new db) |"
    )
    if has_shell:
        shell_ms = statistics.median(shell_runs)
        print(
            f"| sqlite3 shell .import (same file) | {shell_ms:.0f} | followup takes "
            f"{empty / shell_ms:.1f}x as long ({new / shell_ms:.1f}x, new db) |"
        )
    else:
        print("| sqlite3 shell .import | not installed | |")
    if with_million:
        csv_1m = write_customer_csv(OUT / "customers-1m.csv", 1_000_000)
        fresh(create=True)
        import_1m = [FOLLOWUP, "--db", str(target), "import", "customers", str(csv_1m)]
        elapsed, peak = timed_once(import_1m, env)
        print(f"| followup import customers (1M rows) | {elapsed:.0f} | peak RSS {peak:.0f} MB |")
        elapsed, peak = timed_once(import_1m, env)
        print(f"| the same 1M rows again | {elapsed:.0f} | peak RSS {peak:.0f} MB |")
    fresh(create=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-customer book")
    parser.add_argument(
        "--shapes", action="store_true", help="only stats and pitch on books of each shape"
    )
    options = parser.parse_args()
    env = {**os.environ, "FOLLOWUP_TODAY": TODAY.isoformat()}
    env.pop("FOLLOWUP_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's followup runs from compiled .pyc
    if options.shapes:
        bench_shapes(env, options.runs, options.quick)
        return
    books = [("10k/200k", 10_000, build_database(OUT / "bench-10k.db", 10_000, 200_000, 500))]
    if not options.quick:
        books.append(
            ("100k/2M", 100_000, build_database(OUT / "bench-100k.db", 100_000, 2_000_000, 500))
        )
    print(f"{options.runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print()
    print(f"| command | {' | '.join(f'{book} ms' for book, _, _ in books)} | ratio |")
    print(f"|---|{'---:|' * len(books)}---:|")
    for label, template, extra_env in _commands():
        medians = []
        for _, size, path in books:
            args = [part.replace("{db}", str(path)) for part in template]
            medians.append(time_command(args, options.runs, {**env, **extra_env(size, path)}))
        _row(label, medians)
        if label == "followup due":
            due = medians
            task = task_command()
            if task is None:
                print("| task next (taskwarrior not installed) | | | |")
                continue
            nexts = [
                time_command(
                    [task, "next"], options.runs, {**env, **build_tasks(OUT / f"task-{size}", size)}
                )
                for _, size, _ in books
            ]
            _row("task next (taskwarrior, one task per customer)", nexts)
            ratios = " | ".join(
                f"{mine / theirs:.2f}x" for mine, theirs in zip(due, nexts, strict=True)
            )
            print(f"| followup due / task next | {ratios} | |", flush=True)
    write_env = {**env, "FOLLOWUP_DB": str(OUT / "bench-log.db")}
    (OUT / "bench-log.db").unlink(missing_ok=True)
    subprocess.run([FOLLOWUP, "add", "Ana Alpha"], env=write_env, check=True, capture_output=True)
    median = time_command([FOLLOWUP, "log", "ana", "--next", "2w"], options.runs, write_env)
    print(f"| followup log ana --next 2w (a write; a small book) | {median:.0f} | | |")
    bench_shapes(env, options.runs, options.quick)
    print()
    print("| import | median ms | note |")
    print("|---|---:|---|")
    bench_import(env, options.runs, with_million=not options.quick)
    bench_mail(books[0][2], OUT, FOLLOWUP, env, timed_once)
    bench_vcard_photo(env, runs=5)


def bench_vcard_photo(env: dict, runs: int) -> None:
    """A phone's card with a 5 MB photo against the same card without it: reading must be
    linear in the card's size (it took 80 s when unfolding was quadratic)."""
    photo = base64.b64encode(random.Random(1).randbytes(3_932_160)).decode()
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Alpha\r\nEMAIL:ana@alpha.example\r\n"
    medians = []
    for name, extra in (("without", ""), ("with", f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\n")):
        path = OUT / f"card-{name}-photo.vcf"
        path.write_text(card + extra + "END:VCARD\r\n", newline="")
        target = OUT / "vcard.db"
        samples = []
        for _ in range(runs):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            args = [FOLLOWUP, "--db", str(target), "import", "customers", str(path)]
            samples.append(timed_once(args, env)[0])
        medians.append(statistics.median(samples))
    print(f"| followup import customers, one vCard | {medians[0]:.0f} | |")
    print(
        f"| the same card with a 5 MB photo | {medians[1]:.0f} | "
        f"{medians[1] / medians[0]:.2f}x the card without |"
    )


def bench_shapes(env: dict, runs: int, quick: bool) -> None:
    """stats and pitch read summaries, so they should cost the same at 10k and 100k
    customers whatever the book holds, not only on the mixed book above."""
    sizes = [("10k/200k", 10_000, 200_000)] + ([] if quick else [("100k/2M", 100_000, 2_000_000)])
    print()
    print(f"| shape, command | {' | '.join(f'{label} ms' for label, _, _ in sizes)} | ratio |")
    print(f"|---|{'---:|' * len(sizes)}---:|")
    for shape in SHAPES:
        slug = shape.replace(" ", "-")
        paths = [
            build_database(OUT / f"bench-{size // 1000}k-{slug}.db", size, touchpoints, 500, shape)
            for _, size, touchpoints in sizes
        ]
        for command in (["stats"], ["pitch"]):
            medians = [
                time_command([FOLLOWUP, "--db", str(path), *command], runs, env) for path in paths
            ]
            _row(f"{shape}: followup {command[0]}", medians)


def _row(label: str, medians: list[float]) -> None:
    ratio = f"{medians[-1] / medians[0]:.2f}" if len(medians) > 1 else ""
    cells = " | ".join(f"{median:.0f}" for median in medians)
    print(f"| {label} | {cells} | {ratio} |", flush=True)


def _commands() -> list[tuple[str, list[str], Callable]]:
    """(label, command, extra environment for a book of that size at that path)."""
    none = lambda size, path: {}  # noqa: E731
    book = [FOLLOWUP, "--db", "{db}"]
    completion = lambda size, path: {  # noqa: E731
        "FOLLOWUP_DB": str(path),
        "_FOLLOWUP_COMPLETE": "complete_bash",
        "COMP_WORDS": "followup show Customer 00042",
        "COMP_CWORD": "2",
    }
    return [
        ("python -c pass (the floor)", [sys.executable, "-c", "pass"], none),
        ("followup --version", [FOLLOWUP, "--version"], none),
        ("followup due", [*book, "due"], none),
        ("followup due --format json", [*book, "due", "--format", "json"], none),
        ("followup due --tag vip --days 60", [*book, "due", "-t", "vip", "--days", "60"], none),
        ("followup show 4242", [*book, "show", "4242"], none),
        ("followup remind", [*book, "remind"], none),
        ("followup agenda --days 30", [*book, "agenda", "--days", "30"], none),
        ("followup stats", [*book, "stats"], none),
        ("followup pitch", [*book, "pitch"], none),
        (
            "followup list --search 'Customer 00424'",
            [*book, "list", "--search", "Customer 00424"],
            none,
        ),
        ("followup search 'Customer 00424'", [*book, "search", "Customer 00424"], none),
        # every note of the synthetic book holds the word: the worst case of ranking
        ("followup search synthetic (matches all notes)", [*book, "search", "synthetic"], none),
        ("Tab completion of a customer name", [FOLLOWUP], completion),
    ]


def time_command(args: list[str], runs: int, env: dict) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
