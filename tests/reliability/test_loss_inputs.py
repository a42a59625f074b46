"""Fault cases: bad input to MCMILoss and CMIMetric through the Python API."""
import math

import pytest
import torch
import torch.nn.functional as F

from mcmi_razor.evaluation.metrics import CMIMetric
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

C, N = 5, 8


def _loss(**kwargs) -> MCMILoss:
    loss = MCMILoss(num_classes=C, cmi_weight=0.2, **kwargs)
    stats = ClassConditionalStats(C)
    g = torch.Generator().manual_seed(0)
    stats.update(torch.softmax(torch.randn(50, C, generator=g), 1),
                 torch.arange(50) % C)
    loss.centroids.set_exact(stats)
    return loss


def _batch():
    g = torch.Generator().manual_seed(1)
    return (torch.randn(N, C, generator=g),
            torch.randint(0, C, (N, ), generator=g))


def _soft(labels):
    return F.one_hot(labels, C).float()


@pytest.mark.parametrize('label, mentions', [
    (torch.tensor([1]), ['shape', '(8,)', 'broadcast']),
    (torch.full((1, C), 1 / C), ['shape', '(8, 5)']),
    (torch.full((N, C + 1), 1 / (C + 1)), ['shape', '(8, 5)']),
    (torch.arange(N).float() % C, ['dtype', 'integer class indices']),
    (torch.zeros(N, dtype=torch.bool), ['dtype', 'integer class indices']),
    (torch.zeros(N, 1, dtype=torch.long), ['(N,)', '(N, C)']),
    (torch.tensor([0, 1, 7, 0, 0, 0, 0, 0]), ['Label 7', 'num_classes']),
    (torch.tensor([0, -1, 2, 0, 0, 0, 0, 0]), ['Label -1', 'num_classes']),
], ids=['labels_(1,)', 'soft_(1,C)', 'soft_width_C+1', 'float_labels',
        'bool_labels', 'labels_(N,1)', 'label_too_large', 'negative_label'])
def test_label_shape_dtype_and_range(fault, label, mentions):
    logits, _ = _batch()
    fault.expect_error(lambda: _loss()(logits, label), mentions)


@pytest.mark.parametrize('edit, mentions', [
    (lambda s: s.sub_(0.1), ['non-negative']),
    (lambda s: s.mul_(2), ['sum to 1', 'normalise']),
    (lambda s: s.__setitem__((2, 1), float('nan')), ['NaN']),
], ids=['negative', 'sum_2', 'nan'])
def test_bad_soft_labels(fault, edit, mentions):
    logits, labels = _batch()
    scores = _soft(labels)
    edit(scores)
    fault.expect_error(lambda: _loss()(logits, scores), mentions)


@pytest.mark.parametrize('kwargs, mentions', [
    (dict(cmi_weight=True), ['cmi_weight', 'real number']),
    (dict(cmi_weight=float('inf')), ['cmi_weight', 'finite']),
    (dict(cmi_weight=float('nan')), ['cmi_weight', 'finite']),
    (dict(cmi_weight='0.1'), ['cmi_weight', 'real number']),
    (dict(cmi_weight=0.0), ['cmi_weight > 0', 'CrossEntropyLoss']),
    (dict(num_classes=10.0), ['num_classes', 'integer', 'decimal point']),
    (dict(num_classes=True), ['num_classes', 'integer']),
    (dict(label_smoothing=1.5), ['label_smoothing', '[0, 1)']),
    (dict(centroid_floor='0.001'), ['centroid_floor', 'real number']),
    (dict(centroid_dtype='int8'), ['bfloat16', 'float32']),
], ids=['weight_bool', 'weight_inf', 'weight_nan', 'weight_str',
        'weight_zero', 'classes_float', 'classes_bool', 'smoothing_1.5',
        'floor_str', 'dtype_int8'])
def test_bad_constructor_arguments(fault, kwargs, mentions):
    arguments = dict(num_classes=C, cmi_weight=0.2)
    arguments.update(kwargs)
    fault.expect_error(lambda: MCMILoss(**arguments), mentions)


@pytest.mark.parametrize('value, mentions', [
    (float('nan'), ['NaN', 'learning rate']),
    (float('inf'), ['+inf', 'learning rate']),
], ids=['nan_logit', 'plus_inf_logit'])
def test_diverged_logits(fault, value, mentions):
    logits, labels = _batch()
    logits[3, 2] = value
    fault.expect_error(lambda: _loss()(logits, labels), mentions)


def test_a_row_of_only_minus_inf_logits(fault):
    logits, labels = _batch()
    logits[4] = float('-inf')
    fault.expect_error(lambda: _loss()(logits, labels),
                       ['Row 4', '-inf', 'at least one finite'])


def test_minus_inf_masks_a_class(fault):
    """A masked class (logit -inf) is legitimate: finite loss and
    gradient, equal to the loss over the unmasked classes."""
    logits, labels = _batch()
    labels = labels.clamp(max=C - 2)
    masked = logits.clone()
    masked[:, C - 1] = float('-inf')
    z = masked.clone().requires_grad_()
    loss = _loss()
    value = loss(z, labels)
    value.backward()
    # same centroids; the masked logit as a very negative finite one
    reference = loss(masked.clamp_min(-1e4), labels)
    ok = (torch.isfinite(z.grad).all() and torch.isclose(value, reference))
    fault.record('correct' if ok else 'silent wrong',
                 f'loss {value.item():.6f} vs {reference.item():.6f}')


def test_int32_labels_and_bf16_mixup_scores_are_accepted(fault):
    logits, labels = _batch()
    loss = _loss()
    same = torch.isclose(loss(logits, labels.int()), loss(logits, labels))
    mixed = (0.3 * _soft(labels) + 0.7 * _soft(labels.flip(0))).bfloat16()
    finite = torch.isfinite(loss(logits, mixed))
    fault.record('correct' if same and finite else 'silent wrong')


def test_cmi_metric_on_a_collapsed_model(fault):
    """Every prediction one class: NCMI is 0/0. Reported as NaN with a
    warning, CMI reported; no ZeroDivisionError."""
    metric = CMIMetric(num_classes=C)
    one_class = torch.zeros(C)
    one_class[2] = 1.0
    metric.process(None, [dict(pred_score=one_class,
                               gt_label=torch.tensor([i % C]))
                          for i in range(20)])
    with pytest.warns(RuntimeWarning, match='undefined'):
        result = metric.evaluate(20)
    ok = result['cmi/cmi'] == 0.0 and math.isnan(result['cmi/ncmi'])
    fault.record('correct' if ok else 'silent wrong', str(result))
