"""The server process's tuning (``api.process``): applied once, at start-up."""

from __future__ import annotations

import gc

from api import process


def test_tuning_freezes_what_start_up_left_and_collects_the_young_less_often():
    thresholds = gc.get_threshold()
    try:
        gc.unfreeze()
        process.tune()

        assert gc.get_freeze_count() > 0  # the modules and objects loaded so far
        assert gc.get_threshold()[0] == process.YOUNGEST_GENERATION > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
