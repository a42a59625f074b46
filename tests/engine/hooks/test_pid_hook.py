"""PIDHook on a tiny fake distillation runner (one process)."""
import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample
from torch import nn

from mcmi_razor.engine.hooks import PIDHook
from mcmi_razor.evaluation.pid import pid

N, C, D = 400, 4, 5


class Classifier(nn.Module):
    """``neck`` is the feature layer; counts its forward passes."""

    def __init__(self, features: torch.Tensor) -> None:
        super().__init__()
        self.neck = nn.Identity()
        self.features = features
        self.calls = 0

    def forward(self, index, mode='tensor'):
        self.calls += 1
        return self.neck(self.features[index])


class Algorithm(nn.Module):

    def __init__(self, teacher, student) -> None:
        super().__init__()
        self.teacher, self.architecture = teacher, student

    @staticmethod
    def data_preprocessor(batch, training):
        return dict(inputs=batch['index'], data_samples=batch['samples'])


class Runner:

    def __init__(self, model, loader) -> None:
        self.model, self.val_dataloader = model, loader
        self.message_hub = MessageHub.get_instance('pid_hook_test')


class Loader(list):
    dataset = range(N)


def make_runner(seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(C, size=N)
    means = rng.normal(size=(C, D)) * 1.5
    teacher = means[labels] + rng.normal(size=(N, D))
    student = teacher[:, :2] + rng.normal(size=(N, 2))
    loader = Loader(
        dict(index=torch.arange(i, i + 50),
             samples=[DataSample().set_gt_label(int(y))
                      for y in labels[i:i + 50]])
        for i in range(0, N, 50))
    algorithm = Algorithm(Classifier(torch.tensor(teacher)),
                          Classifier(torch.tensor(student)))
    return Runner(algorithm, loader), labels, teacher, student


def test_each_validation_logs_the_estimate_with_the_teacher_passed_once():
    runner, labels, teacher, student = make_runner()
    hook = PIDHook(k=3, seed=1)
    for _ in range(2):
        metrics = {'accuracy/top1': 50.0}
        hook.after_val_epoch(runner, metrics)
    assert runner.model.teacher.calls == len(runner.val_dataloader)
    assert runner.model.architecture.calls == 2 * len(runner.val_dataloader)
    expected = pid(labels, teacher.astype(np.float32),
                   student.astype(np.float32), k=3, seed=1)
    assert metrics['pid/red'] == pytest.approx(expected.red, abs=1e-12)
    assert metrics['pid/uni_teacher'] == pytest.approx(expected.uni_t,
                                                       abs=1e-12)
    assert metrics['pid/null_floor'] == pytest.approx(expected.null_floor,
                                                      abs=1e-12)
    assert runner.message_hub.get_scalar('val/pid/i_yt').current() == \
        pytest.approx(expected.i_yt)
    assert metrics['accuracy/top1'] == 50.0


def test_a_model_without_a_teacher_is_refused_with_the_fix():
    runner, *_ = make_runner()
    runner.model = runner.model.architecture
    with pytest.raises(TypeError, match='SingleTeacherDistill'):
        PIDHook().after_val_epoch(runner, {})


@pytest.mark.parametrize('config, base', [
    ('configs/fashion_mnist/kd_r20_r8_pid.py',
     'configs/fashion_mnist/kd_r20_r8.py'),
    ('configs/distill/kd/kd_resnet56_resnet20_cifar100_pid.py',
     'configs/distill/kd/kd_resnet56_resnet20_cifar100.py')])
def test_a_pid_config_is_its_base_plus_one_hook_entry(config, base,
                                                      mcmi_razor_scope):
    from mmengine.config import Config

    from mcmi_razor.registry import HOOKS
    cfg, base_cfg = Config.fromfile(config), Config.fromfile(base)
    assert cfg.custom_hooks == [dict(type='PIDHook')]
    assert cfg.model == base_cfg.model
    assert isinstance(HOOKS.build(cfg.custom_hooks[0]), PIDHook)
