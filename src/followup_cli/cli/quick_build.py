"""Writes cli/quick_table.py, the fast path's table of options, from the Typer commands
themselves: each spelling, type, range, choice and default is read off the Click command
Typer builds, so none is written twice. `make quick-table` runs it; tests/test_quick.py
runs it again and fails when the checked-in table differs.

A command the fast path cannot read exactly as Click would steps aside by construction: an
option with an environment variable, a callback, several values or a type other than a
whole number in a range, a choice, text or a flag leaves the command out of the table, and
Typer parses every line of it.
"""

import json
from enum import Enum
from pathlib import Path

FAST = ("due", "remind", "show")  # read-only, daily, run from cron: worth the second parser
TABLE = Path(__file__).with_name("quick_table.py")


def table_source(app=None, names: tuple[str, ...] = FAST) -> str:
    import typer.main

    if app is None:
        from followup_cli.cli.app import app
    group = typer.main.get_command(app)
    enums: set[type] = set()
    commands = []
    for name in names:
        read = _command(group.get_command(None, name), enums)
        if read is not None:
            commands.append(f"    {_text(name)}: {read},")
    modules: dict[str, list[str]] = {}
    for kind in sorted(enums, key=lambda kind: kind.__name__):
        modules.setdefault(kind.__module__, []).append(kind.__name__)
    imports = [
        f"from {module} import {', '.join(names)}" for module, names in sorted(modules.items())
    ]
    return "\n".join(
        [
            '"""Generated from the Typer commands by `make quick-table` (cli/quick_build.py);',
            "do not edit. Per command: each option spelling -> (parameter, kind, detail), the",
            'defaults, and the arguments."""',
            "",
            *imports,
            "",
            "COMMANDS = {",
            *commands,
            "}",
            "",
        ]
    )


def _command(command, enums: set[type]) -> str | None:
    options, defaults, arguments = [], [], []
    for param in command.params:
        if param.name == "help":
            continue
        if param.envvar or param.callback or param.multiple or param.nargs != 1:
            return None  # the fast path cannot honour it: Typer takes the command
        if param.param_type_name == "argument":
            if not param.required:
                return None
            arguments.append(param.name)
            continue
        kind = _kind(param, enums)
        if kind is None:
            return None
        for spelling in param.opts:
            options.append(f"{_text(spelling)}: ({_text(param.name)}, {kind}),")
        for spelling in param.secondary_opts:  # --no-always
            options.append(f'{_text(spelling)}: ({_text(param.name)}, "flag", False),')
        defaults.append(f"{_text(param.name)}: {_literal(param.default, enums)},")
    body = "\n".join(f"            {line}" for line in options)
    shown_defaults = "\n".join(f"            {line}" for line in defaults)
    listed = "".join(f"{_text(argument)}," for argument in arguments)
    return (
        f"(\n        {{\n{body}\n        }},\n        {{\n{shown_defaults}\n        }},\n"
        f"        ({listed}),\n    )"
    )


def _kind(param, enums: set[type]) -> str | None:
    kind = param.type
    if getattr(param, "is_flag", False) and not getattr(param, "count", False):
        return '"flag", True'
    if type(kind).__name__ == "IntRange":
        if kind.min_open or kind.max_open or kind.clamp:
            return None
        return f'"count", ({kind.min}, {kind.max})'
    if hasattr(kind, "choices") and isinstance(param.default, Enum) and kind.case_sensitive:
        enums.add(type(param.default))
        return f'"choice", {type(param.default).__name__}'
    if type(kind).__name__ == "StringParamType":
        return '"text", None'
    return None


def _literal(value, enums: set[type]) -> str:
    if isinstance(value, Enum):
        enums.add(type(value))
        return f"{type(value).__name__}.{value.name}"
    return _text(value) if isinstance(value, str) else repr(value)


def _text(value: str) -> str:
    """A string as ruff formats it, so that the table passes the lint as written."""
    return json.dumps(value)


if __name__ == "__main__":
    TABLE.write_text(table_source(), encoding="utf-8")
