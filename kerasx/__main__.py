"""`python -m kerasx script.py [args...]`: run a Keras script on kerasx (and
`python -m kerasx COMMAND ...`, as the `kerasx` command)."""
import sys

from kerasx.cli import main

sys.exit(main())
