"""Dates: the words people type, and the cells files hold. One package, so that the two agree
on what a two-digit year means, which of day and month comes first, and what an impossible
date is called (rules.py); phrases.py is the grammar of what people type, cells.py the
stricter reading of what files hold. Callers import the module they need, so that a command
pays only for the rules it uses (config needs only the range)."""
