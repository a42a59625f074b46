"""PID through the real tools on a Fashion-MNIST IDX fixture (CPU).

A KD run with the one-entry PIDHook config logs pid/* at each validation;
tools/analysis/pid_report.py on its work dir reproduces the last logged
values from the checkpoints and writes its table and PNG; tools/test.py
with the hook logs the same values on 2 gloo processes as on 1.
"""
import glob
import json
from pathlib import Path

import pytest
import torch

from mcmi_razor.testing import write_fashion_mnist_idx

pytestmark = pytest.mark.slow

CONFIG = 'configs/fashion_mnist/kd_r20_r8_pid.py'
TEACHER = 'configs/fashion_mnist/mll_teacher_r20.py'
NAMES = ['red', 'uni_teacher', 'uni_student', 'syn', 'i_yt', 'i_ys',
         'i_yts', 'probe_teacher', 'probe_student', 'null_floor']


def options(root: Path, teacher: Path) -> list:
    return [f'train_dataloader.dataset.dataset.data_root={root}',
            f'val_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
            'test_dataloader.num_workers=0', 'train_cfg.max_epochs=2',
            'randomness.seed=0', f'model.teacher_ckpt={teacher}']


def logged(work_dir: Path, key: str) -> list:
    """Every json-log record holding ``key`` (val: scalars, test: one)."""
    records = []
    runs = work_dir / '[0-9]*'   # MMEngine's timestamped log folders
    for path in glob.glob(str(runs / '*.json')) + glob.glob(
            str(runs / 'vis_data' / 'scalars.json')):
        for line in open(path):
            record = json.loads(line)
            if key in record:
                records.append(record)
    return records


@pytest.fixture(scope='module')
def run(tmp_path_factory, run_tool):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from mcmi_razor.registry import MODELS
    tmp = tmp_path_factory.mktemp('pid')
    root = write_fashion_mnist_idx(tmp / 'data', train_per_class=5,
                                   test_per_class=10)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        teacher = MODELS.build(Config.fromfile(TEACHER).model)
    torch.save(dict(meta={}, state_dict=teacher.state_dict()),
               tmp / 'teacher.pth')
    opts = options(root, tmp / 'teacher.pth')
    run_tool('train.py', CONFIG, '--work-dir', tmp / 'kd', '--cfg-options',
             *opts)
    return tmp, root, opts


def test_training_logs_every_pid_value_at_each_validation(run):
    tmp, _, _ = run
    records = logged(tmp / 'kd', 'pid/red')
    assert len(records) == 2
    for record in records:
        assert all(f'pid/{name}' in record for name in NAMES)
        assert record['pid/red'] + record['pid/uni_teacher'] == \
            pytest.approx(record['pid/i_yt'], abs=1e-9)
    # the teacher's codebook is frozen: I(Y;T) is the same ruler each time
    assert records[0]['pid/i_yt'] == records[1]['pid/i_yt'] > 0


def test_report_on_the_work_dir_reproduces_the_logged_values(run, run_tool):
    tmp, root, _ = run
    result = run_tool('analysis/pid_report.py', '--work-dir', tmp / 'kd',
                      '--cfg-options',
                      f'test_dataloader.dataset.data_root={root}')
    assert 'uni_t' in result.stdout
    rows = json.loads((tmp / 'kd' / 'pid' / 'pid_report.json').read_text())
    assert [r['name'] for r in rows] == ['epoch_1', 'epoch_2']
    last = logged(tmp / 'kd', 'pid/red')[-1]
    assert rows[-1]['red'] == pytest.approx(last['pid/red'], abs=1e-9)
    assert rows[-1]['uni_t'] == pytest.approx(last['pid/uni_teacher'],
                                              abs=1e-9)
    png = (tmp / 'kd' / 'pid' / 'pid_report.png').read_bytes()
    assert png.startswith(b'\x89PNG') and len(png) > 5000


def test_two_gloo_processes_log_the_values_of_one(run, run_tool):
    tmp, _, opts = run
    checkpoint = tmp / 'kd' / 'epoch_2.pth'
    values = {}
    for nproc in (1, 2):
        work = tmp / f'test_{nproc}'
        run_tool('test.py', CONFIG, checkpoint, '--work-dir', work,
                 '--cfg-options', *opts, nproc=nproc)
        [record] = logged(work, 'pid/red')
        values[nproc] = {name: record[f'pid/{name}'] for name in NAMES}
    assert values[2] == values[1]
    assert values[1]['i_yt'] > 0


def test_report_compares_named_students_on_their_logits(run, run_tool):
    tmp, root, _ = run
    out = tmp / 'named'
    run_tool('analysis/pid_report.py', '--teacher', TEACHER,
             tmp / 'teacher.pth', '--student', 'KD', CONFIG,
             tmp / 'kd' / 'epoch_2.pth', '--feature', 'logits',
             '--out-dir', out, '--cfg-options',
             f'test_dataloader.dataset.data_root={root}')
    [row] = json.loads((out / 'pid_report.json').read_text())
    assert row['name'] == 'KD' and row['k'] == 2
    assert row['red'] + row['uni_t'] == pytest.approx(row['i_yt'], abs=1e-9)
    assert (out / 'pid_report.png').exists()
