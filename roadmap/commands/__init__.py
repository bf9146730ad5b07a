"""What each `roadmap` command does, one module per command (as MkDocs' own `commands/`);
`roadmap/cli.py` only parses the arguments and calls them."""
