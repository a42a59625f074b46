"""What a finished run left in its work dir: test metrics, the last
logged scalars, the training minutes over its starts."""
import pytest

from mcmi_razor.apis.study import (
    last_logged,
    read_test_metrics,
    training_minutes,
)
from mcmi_razor.testing import write_run_start


def test_minutes_sum_each_start_without_the_gap_before_a_resume(tmp_path):
    assert training_minutes(str(tmp_path)) is None
    write_run_start(tmp_path, '20261126_010000', '01:00:00', '01:10:00')
    write_run_start(tmp_path, '20261126_020000', '02:00:00', '02:05:00')
    assert training_minutes(str(tmp_path)) == pytest.approx(15.0)


def test_last_logged_takes_the_last_value_of_each_scalar_over_starts(
        tmp_path):
    write_run_start(tmp_path, '20261126_010000', '01:00:00', '01:10:00',
                    [{'loss': 0.5}, {'accuracy/top1': 75.0}])
    write_run_start(tmp_path, '20261126_020000', '02:00:00', '02:05:00',
                    [{'accuracy/top1': 79.5, 'cmi_weight': 0.125}])
    assert last_logged(str(tmp_path)) == {'loss': 0.5, 'accuracy/top1': 79.5,
                                          'cmi_weight': 0.125}


def test_a_partial_last_scalars_line_is_skipped_a_damaged_one_refused(
        tmp_path):
    scalars = write_run_start(tmp_path, '20261126_010000', '01:00:00',
                              '01:10:00', [{'accuracy/top1': 75.0}])
    scalars.write_text(scalars.read_text() + '{"accuracy/top1": 9')  # killed
    assert last_logged(str(tmp_path)) == {'accuracy/top1': 75.0}
    scalars.write_text('{"accuracy\n' + scalars.read_text())
    with pytest.raises(ValueError, match='line 1, is not JSON'):
        last_logged(str(tmp_path))


def test_a_cut_short_or_foreign_test_result_is_refused_by_name(tmp_path):
    path = tmp_path / 'test_metrics.json'
    path.write_text('{"accuracy/top1": 8')
    with pytest.raises(ValueError, match='test_metrics.json is not JSON'):
        read_test_metrics(str(tmp_path))
    path.write_text('{"loss": 1.0}')
    with pytest.raises(ValueError, match='has no accuracy/top1'):
        read_test_metrics(str(tmp_path))
    path.write_text('{"accuracy/top1": 80.0, "cmi/cmi": 0.3}')
    assert read_test_metrics(str(tmp_path))['cmi/cmi'] == 0.3
