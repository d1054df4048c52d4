"""`python -m crunchtime`: the same command as `crunchtime`."""

from crunchtime.console import main

main()
