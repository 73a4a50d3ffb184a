"""Interactive logging switch (keras.utils.enable/disable_interactive_logging).

With interactive logging on (the default), progress bars and summaries are
written to stdout; off, they go to the "kerasx" Python logger at INFO level
(Keras sends them to absl logging), which suits log files and servers.
"""
import logging
import sys

_INTERACTIVE = {"enabled": True}
LOGGER = logging.getLogger("kerasx")


def enable_interactive_logging():
    """Write progress bars and summaries to stdout (the default)."""
    _INTERACTIVE["enabled"] = True


def disable_interactive_logging():
    """Send progress bars and summaries to the "kerasx" logger instead of stdout."""
    _INTERACTIVE["enabled"] = False


def is_interactive_logging_enabled():
    """True when progress and summaries go to stdout."""
    return _INTERACTIVE["enabled"]


def print_msg(message, line_break=True):
    """Write `message` to stdout, or log it when interactive logging is off."""
    if is_interactive_logging_enabled():
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        LOGGER.info(message)
