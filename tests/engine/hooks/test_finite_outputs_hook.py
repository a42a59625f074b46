"""FiniteOutputsHook refuses NaN/inf scores; our tools add it once."""
import pytest
import torch
from mmengine.config import Config
from mmpretrain.structures import DataSample

from mcmi_razor.apis.tool_config import add_finite_outputs_check
from mcmi_razor.engine.hooks import FiniteOutputsHook, NonFiniteOutputsError


class _Runner:
    cfg = Config(dict(load_from='work_dirs/run/epoch_3.pth'))


def _samples(*scores):
    return [DataSample().set_pred_score(torch.tensor(s)) for s in scores]


def test_finite_scores_pass_and_samples_without_scores_are_ignored():
    hook = FiniteOutputsHook()
    hook.after_test_iter(_Runner(), 0, outputs=_samples([0.2, 0.8],
                                                       [0.5, 0.5]))
    hook.after_val_iter(_Runner(), 0, outputs=[DataSample()])
    hook.after_val_iter(_Runner(), 0, outputs=None)


@pytest.mark.parametrize('bad', [float('nan'), float('inf')])
def test_a_nan_or_inf_score_stops_evaluation_naming_the_checkpoint(bad):
    outputs = _samples([0.2, 0.8], [bad, 0.5], [0.1, bad])
    with pytest.raises(NonFiniteOutputsError,
                       match=r'2 of 3 images in a test batch.*epoch_3\.pth'):
        FiniteOutputsHook().after_test_iter(_Runner(), 0, outputs=outputs)


def test_tools_add_the_hook_once():
    cfg = Config(dict(custom_hooks=[dict(type='ClassCentroidHook')]))
    add_finite_outputs_check(cfg)
    add_finite_outputs_check(cfg)
    types = [h['type'] for h in cfg.custom_hooks]
    assert types == ['ClassCentroidHook', 'mcmi_razor.FiniteOutputsHook']
    empty = Config(dict())
    add_finite_outputs_check(empty)
    assert [h['type'] for h in empty.custom_hooks] == [
        'mcmi_razor.FiniteOutputsHook']
