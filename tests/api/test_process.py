"""The server process's tuning (``api.process``): applied once, at start-up."""

from __future__ import annotations

import gc
import sys

from api import process


def test_tuning_shortens_the_gil_switch_interval_and_freezes_what_start_up_left():
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    try:
        gc.unfreeze()
        process.tune()

        assert sys.getswitchinterval() == process.SWITCH_INTERVAL < interval
        assert gc.get_freeze_count() > 0  # the modules and objects loaded so far
        assert gc.get_threshold()[0] == process.YOUNGEST_GENERATION > thresholds[0]
    finally:
        gc.unfreeze()
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)
