"""The command line: the only package that imports typer, and only where a command needs it.
Each command's module is imported when the command is used (cli/app.py, COMMAND_MODULES); the
commands run most are parsed without Typer when their line is plain (cli/quick.py)."""
