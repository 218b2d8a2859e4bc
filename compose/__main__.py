"""Allow ``python -m compose`` as an alias of the ``zaiko`` command."""

from compose.cli import main

main()
