"""Interactive logging switch (keras.utils.enable/disable_interactive_logging).

With interactive logging on (the default), progress bars and summaries are
written to stdout; off, they go to the "kerasx" Python logger at INFO level
(Keras sends them to absl logging), which suits log files and servers.
"""
import logging
import sys

# The switch itself lives in kerasx.config (keras.config has the same three
# functions), so that both modules change one setting.
from kerasx.config import (disable_interactive_logging,  # noqa: F401
                           enable_interactive_logging, is_interactive_logging_enabled)

LOGGER = logging.getLogger("kerasx")


def print_msg(message, line_break=True):
    """Write `message` to stdout, or log it when interactive logging is off."""
    if is_interactive_logging_enabled():
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        LOGGER.info(message)
