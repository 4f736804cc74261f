"""How schema-v1.db was made: the first released schema (version 1), with one row of every
kind, so that later versions can prove they upgrade it with every row intact.

Run from the repository root with the version-1 code installed:
    FOLLOWUP_TODAY=2026-11-24 python tests/data/make_schema_v1.py
"""

import os
import subprocess
import sys
from pathlib import Path

TARGET = Path(__file__).with_name("schema-v1.db")
FOLLOWUP = str(Path(sys.executable).with_name("followup"))
STEPS = [
    [
        "add",
        "Ana Alpha",
        "--email",
        "ana@example.com",
        "--tag",
        "vip",
        "--cadence",
        "14",
        "--phone",
        "+49 30 1",
        "--company",
        "Alpha Bakery",
        "--note",
        "likes golf",
    ],
    ["add", "Bruno Beta", "--status", "prospect"],
    ["log", "ana", "sale", "spring order", "--amount", "1200", "--date", "2026-09-02"],
    ["log", "ana", "call", "holiday menu", "--date", "2026-11-03", "--next", "2026-12-01"],
    ["refer", "ana", "Bruno Beta", "--note", "her neighbour", "--date", "2026-11-10"],
    ["cadence", "vip", "21"],
]

if __name__ == "__main__":
    TARGET.unlink(missing_ok=True)
    env = {**os.environ, "FOLLOWUP_DB": str(TARGET), "FOLLOWUP_TODAY": "2026-11-24"}
    for step in STEPS:
        subprocess.run([FOLLOWUP, *step], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["sqlite3", str(TARGET), "PRAGMA journal_mode = DELETE"],
        check=False,
        stdout=subprocess.DEVNULL,
    )
