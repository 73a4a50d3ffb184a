"""`python -m kerasx script.py [args...]`: run a Keras script on kerasx."""
import sys

from kerasx.cli import main

sys.exit(main())
