"""The PID evidence summary reads finished runs and averages over seeds."""
import json

import pytest

from experiments.pid.summary import collect, summary


def _run(root, name, top1, red, epochs=2):
    run = root / name
    (run / 'pid').mkdir(parents=True)
    rows = [dict(name=f'epoch_{e + 1}', red=red * (e + 1) / epochs,
                 uni_t=1.0 - red * (e + 1) / epochs, i_yt=1.5, i_ys=red)
            for e in range(epochs)]
    (run / 'pid' / 'pid_report.json').write_text(json.dumps(rows))
    scalars = run / '20261125_000000' / 'vis_data' / 'scalars.json'
    scalars.parent.mkdir(parents=True)
    scalars.write_text(json.dumps({'accuracy/top1': top1 - 5, 'step': 1})
                       + '\n' + json.dumps({'accuracy/top1': top1,
                                            'step': 2}) + '\n')


def test_final_row_is_the_mean_and_std_over_seeds_of_the_last_epoch(
        tmp_path):
    _run(tmp_path, 'kd_mll_seed0', 80.0, 1.0)
    _run(tmp_path, 'kd_mll_seed1', 82.0, 1.2)
    _run(tmp_path, 'rid_mll_seed0', 70.0, 0.5)
    (tmp_path / 'kd_mcmi_seed0').mkdir()   # not finished: left out
    runs = collect(str(tmp_path))
    assert sorted(runs) == [('kd', 'mll'), ('rid', 'mll')]
    text = summary(str(tmp_path))
    assert '| KD | mll | 2 | 81.00 ± 1.41 | 1.1000 ± 0.1414 |' in text
    assert '| RID | mll | 1 | 70.00 | 0.5000 |' in text
    assert '| KD / mll | epoch_1 | 0.5500 ± 0.0707 |' in text


def test_epochs_are_matched_by_name_when_seeds_kept_other_checkpoints(
        tmp_path):
    _run(tmp_path, 'kd_mll_seed0', 80.0, 1.0, epochs=2)
    _run(tmp_path, 'kd_mll_seed1', 82.0, 1.0, epochs=4)
    text = summary(str(tmp_path))
    # epoch_2: 1.0 * 2/2 and 1.0 * 2/4 -> 0.75 +- 0.3536; epoch_3/4 only
    # in one seed: left out.
    assert '| KD / mll | epoch_2 | 0.7500 ± 0.3536 |' in text
    assert 'epoch_3' not in text


def test_nothing_finished_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='experiments/pid/run.sh'):
        summary(str(tmp_path))
