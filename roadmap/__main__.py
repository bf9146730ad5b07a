"""`python -m roadmap` runs the `roadmap` command."""

from roadmap.cli import main

main()
