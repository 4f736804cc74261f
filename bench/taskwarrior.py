"""Taskwarrior beside followup: a task list as large as the book (one pending task per
customer, some with a due date, a project or a tag), written straight into its data file
(adding 100,000 tasks through `task add` would take an hour), and `task next` timed as
`followup due` is."""

import random
import shutil
import uuid
from pathlib import Path

EPOCH_2026_11_24 = 1795478400


def task_command() -> str | None:
    return shutil.which("task")


def build_tasks(folder: Path, tasks: int) -> dict:
    """The environment that points `task` at a list of `tasks` pending tasks in `folder`."""
    data = folder / "data"
    rc = folder / "taskrc"
    if not (data / "pending.data").exists():
        data.mkdir(parents=True, exist_ok=True)
        rng = random.Random(tasks)
        lines = []
        for number in range(1, tasks + 1):
            entry = EPOCH_2026_11_24 - rng.randint(1, 400) * 86400
            extra = ""
            if rng.random() < 0.3:
                extra += f' due:"{EPOCH_2026_11_24 + rng.randint(-30, 60) * 86400}"'
            if rng.random() < 0.5:
                extra += ' project:"sales"'
            if rng.random() < 0.2:
                extra += ' tags:"vip" tags_vip:"x"'
            lines.append(
                f'[description:"Call Customer {number:06d}"{extra} entry:"{entry}" '
                f'modified:"{entry}" status:"pending" uuid:"{uuid.UUID(int=rng.getrandbits(128))}"]'
            )
        (data / "pending.data").write_text("\n".join(lines) + "\n")
        (data / "completed.data").write_text("")
    rc.write_text(f"data.location={data}\nconfirmation=off\ngc=off\nverbose=nothing\n")
    return {"TASKRC": str(rc)}
