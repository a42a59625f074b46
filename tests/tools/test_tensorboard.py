"""docs/tensorboard.md's config line sends loss_ce, cmi_term and cmi/cmi to
a TensorBoard event file (an MCMI teacher, one epoch on the fixture), and
the adapted weight (tag ``cmi_weight``) when the CMI budget hook is on."""
import glob
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
LINE = ("visualizer = dict(vis_backends=[dict(type='LocalVisBackend'),\n"
        "                                dict(type='TensorboardVisBackend')])")


@pytest.mark.parametrize('config,expected', [
    ('mcmi_teacher_r20.py', {'loss_ce', 'cmi_term', 'cmi/cmi'}),
    ('mcmi_teacher_r20_budget.py', {'loss_ce', 'cmi_term', 'cmi_weight'}),
])
def test_the_documented_line_writes_the_mcmi_scalars(
        tmp_path, run_tool, fashion_mnist_fixture_root, config, expected):
    from tensorboard.backend.event_processing import event_accumulator
    assert LINE in (REPO / 'docs' / 'tensorboard.md').read_text()
    written = tmp_path / 'mcmi_tb.py'
    base = REPO / 'configs' / 'fashion_mnist' / config
    written.write_text(f"_base_ = '{base}'\n{LINE}\n")
    root = fashion_mnist_fixture_root
    run_tool('train.py', written, '--work-dir', tmp_path / 'w',
             '--cfg-options',
             f'train_dataloader.dataset.dataset.data_root={root}',
             f'val_dataloader.dataset.data_root={root}',
             f'test_dataloader.dataset.data_root={root}',
             'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
             'train_cfg.max_epochs=1', 'default_hooks.logger.interval=1',
             'load_from=None', 'randomness.seed=0')   # seeded: repeatable
    events = glob.glob(str(tmp_path / 'w' / '*' / 'vis_data' /
                           'events.out.tfevents.*'))
    assert len(events) == 1
    tags = event_accumulator.EventAccumulator(events[0]).Reload().Tags()
    assert expected <= set(tags['scalars']), tags['scalars']
