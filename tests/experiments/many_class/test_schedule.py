"""The protocol's rule for the students' epochs."""
import json

import pytest

from experiments.many_class.schedule import (
    epochs_by_rule,
    schedule_from_curve,
)


def test_first_epoch_within_half_a_point_rounded_up_to_five():
    # running means: e3 = 50, e4 = 60, ..., plateau 79.8 from e11 on
    curve = {e: min(80.0, 20.0 + 10 * e) - (0.3 if e > 10 else 0)
             for e in range(1, 21)}
    chosen = epochs_by_rule(curve)
    assert chosen['first_within_tolerance'] == 8
    assert chosen['epochs'] == 10


def test_never_beyond_the_curve():
    curve = {e: float(e) for e in range(1, 13)}   # still rising at the end
    assert epochs_by_rule(curve)['epochs'] == 12


def test_a_curve_with_a_gap_is_refused():
    with pytest.raises(ValueError, match='misses epochs'):
        epochs_by_rule({1: 1.0, 2: 2.0, 4: 3.0})


def test_reads_the_validation_top1_mmengine_logged(tmp_path):
    vis = tmp_path / '20261203_000000' / 'vis_data'
    vis.mkdir(parents=True)
    rows = [dict(loss=1.0, step=10)] + [
        {'accuracy/top1': 10.0 * e, 'teacher.accuracy/top1': 90.0,
         'step': e} for e in range(1, 7)]
    (vis / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in rows))
    out = tmp_path / 'schedule.json'
    chosen = schedule_from_curve(tmp_path, out)
    assert json.loads(out.read_text())['epochs'] == chosen['epochs'] == 6


def test_no_curve_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match='--only curve'):
        schedule_from_curve(tmp_path, tmp_path / 'schedule.json')
