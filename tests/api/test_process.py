"""The server process's tuning (``api.process``): applied once, at start-up."""

from __future__ import annotations

import gc
import sys

from api import process


def test_tuning_shortens_the_gil_switch_interval_and_freezes_what_start_up_left():
    interval = sys.getswitchinterval()
    try:
        gc.unfreeze()
        process.tune()

        assert sys.getswitchinterval() == process.SWITCH_INTERVAL < interval
        assert gc.get_freeze_count() > 0  # the modules and objects loaded so far
    finally:
        gc.unfreeze()
        sys.setswitchinterval(interval)
