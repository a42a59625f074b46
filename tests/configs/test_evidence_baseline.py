"""The evidence study's label-only baseline is its KD student without the
teacher: same network, data, recipe and schedule; only the loss differs."""
import pytest

from .conftest import load_config
from .test_configs_build import build_model

E = 'configs/fashion_mnist/evidence'


@pytest.mark.parametrize('kd, baseline', [
    (f'{E}/kd_r20_r8.py', f'{E}/r8_labels_only.py'),
    (f'{E}/kd_r20_r8_zero_shot.py', f'{E}/r8_labels_only_zero_shot.py'),
])
def test_labels_only_baseline_matches_its_kd_student_but_the_loss(
        kd, baseline):
    kd_cfg, base_cfg = load_config(kd), load_config(baseline)
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'randomness'):
        assert base_cfg[key] == kd_cfg[key], key
    for loader in ('train_dataloader', 'val_dataloader'):
        assert base_cfg[loader] == kd_cfg[loader], loader
    student = build_model(kd_cfg).student
    alone = build_model(base_cfg)
    assert ({k: v.shape for k, v in alone.state_dict().items()}
            == {k: v.shape for k, v in student.state_dict().items()})
    assert alone.head.loss_module.loss_weight == 1.0
    assert student.head.loss_module.loss_weight == pytest.approx(0.1)


def test_per_class_test_config_adds_each_class_accuracy():
    cfg = load_config(f'{E}/r8_test_per_class.py')
    plain = load_config('configs/fashion_mnist/students/r8.py')
    assert cfg.test_evaluator[:2] == plain.test_evaluator
    per_class = cfg.test_evaluator[2]
    assert per_class.type == 'SingleLabelMetric'
    assert per_class.average is None and tuple(per_class['items']) == (
        'recall', )
    assert cfg.test_dataloader == plain.test_dataloader
