"""Progbar: the Keras-style progress bar printed during fit/evaluate/predict."""
import math
import os
import sys
import time

import numpy as np

from kerasx.utils import io_utils

_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_GREY = "\x1b[37m"
_RESET = "\x1b[0m"
_BAR_CHAR = "\u2501"  # "━"


def _write(text):
    if not io_utils.is_interactive_logging_enabled():
        # Logged without the carriage returns and colours of the live bar.
        text = text.replace("\r", "").replace("\b", "").strip()
        if text:
            io_utils.print_msg(text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _format_value(value):
    """A metric as Keras shows it: 4 decimals, or scientific when tiny."""
    try:
        value = float(np.mean(value))
    except (TypeError, ValueError):
        return f" {value}"
    if abs(value) > 1e-3:
        return f" {value:.4f}"
    return f" {value:.4e}"


def _format_eta(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def format_time_per_unit(seconds, unit_name):
    """" 12ms/step", " 3s/step", " 850us/step" (leading space included)."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


class Progbar:
    """Displays a progress bar, as keras.utils.Progbar.

    Args:
        target: total number of steps expected, or None if unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (animated bar), 2 (one line when finished).
        interval: minimum number of seconds between two redraws (verbose 1).
        stateful_metrics: names of metrics shown as given; every other metric
            is averaged over the steps seen (weighted by step count).
        stateless_metrics: names of metrics that are averaged; every other
            metric is shown as given. Give at most one of the two lists.
        unit_name: the unit of the time per unit ("step", "sample").

    Raises:
        ValueError: when both `stateful_metrics` and `stateless_metrics` are
            given.
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Give only one of `stateful_metrics` or `stateless_metrics`: "
                             "the first lists metrics shown as-is (others averaged), the "
                             "second lists metrics averaged (others shown as-is).")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set(stateful_metrics or ())
            self.stateless_metrics = None
        self._dynamic_display = (
            (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
            or "ipykernel" in sys.modules or os.name == "posix"
            or "PYCHARM_HOSTED" in os.environ)
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._values_order = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0

    # -- state ---------------------------------------------------------------
    def _is_averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _record(self, current, values, finalize):
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if self._is_averaged(name) and not finalize:
                weight = max(current - self._seen_so_far, 1)
                if name in self._values:
                    self._values[name][0] += value * weight
                    self._values[name][1] += weight
                else:
                    self._values[name] = [value * weight, weight]
            else:
                # A stateful value (or the final, already-averaged one) is
                # shown exactly as given.
                self._values[name] = [value, 1]
        self._seen_so_far = current

    def _average(self, name):
        total, count = self._values[name]
        if isinstance(total, str):
            return total
        return np.mean(total) / max(1, count)

    def _step_duration(self, current, now):
        """Seconds per step, ignoring the (usually slow) first step once
        more steps have been seen."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit

    def _metrics_text(self):
        text = ""
        for name in self._values_order:
            value = self._average(name)
            text += f" - {name}:" + (f" {value}" if isinstance(value, str)
                                     else _format_value(value))
        return text

    # -- drawing -------------------------------------------------------------
    def update(self, current, values=None, finalize=None):
        """Move the bar to step `current`.

        Args:
            current: index of the current step (1 = one step done).
            values: list of `(name, value)` pairs for the last step.
            finalize: whether this is the last update; defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [], finalize)
        now = time.time()
        per_unit = self._step_duration(current, now)
        known_target = self.target is not None and self.target > 0

        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            prefix = ("\b" * self._prev_total_width + "\r") if self._dynamic_display else "\n"
            invisible = 0  # length of the ANSI escape codes in the line
            if known_target:
                digits = int(math.log10(self.target)) + 1
                bar = f"{_BOLD}{current:{digits}d}/{self.target}{_RESET} "
                invisible += len(_BOLD) + len(_RESET)
                filled = int(self.width * float(current) / self.target)
                filled = max(0, min(self.width, filled))
                if filled > 0:
                    bar += f"{_GREEN}{_BAR_CHAR * filled}{_RESET}"
                    invisible += len(_GREEN) + len(_RESET)
                bar += f"{_GREY}{_BAR_CHAR * (self.width - filled)}{_RESET}"
                invisible += len(_GREY) + len(_RESET)
            else:
                bar = "%7d/Unknown" % current
            if known_target and not finalize:
                clock = _format_eta(per_unit * (self.target - current))
            else:
                clock = f"{now - self._start:.0f}s"
            info = f" {_BOLD}{clock}{_RESET}"
            invisible += len(_BOLD) + len(_RESET)
            info += format_time_per_unit(per_unit, self.unit_name)
            info += self._metrics_text()
            total_width = len(bar) + len(info) - invisible
            padding = " " * max(0, self._prev_total_width - total_width)
            _write(prefix + bar + info + padding + ("\n" if finalize else ""))
            self._prev_total_width = total_width

        elif self.verbose == 2 and finalize and known_target:
            digits = int(math.log10(self.target)) + 1
            line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
            line += format_time_per_unit(per_unit, self.unit_name)
            line += self._metrics_text()
            _write(line + "\n")

        self._last_update = now

    def add(self, n, values=None):
        """Advance the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)
