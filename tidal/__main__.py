"""`python -m tidal` runs the command line."""

from tidal.cli import main

main()
