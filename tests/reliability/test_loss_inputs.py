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


def test_minus_inf_logit_at_the_own_label(fault):
    """The log-zero clamp used to turn this into a finite 2.5e29."""
    logits, labels = _batch()
    logits[3, labels[3]] = float('-inf')
    fault.expect_error(lambda: _loss()(logits, labels),
                       ['sample 3', f'label {int(labels[3])}', '-inf'],
                       (ValueError, ))


def test_soft_label_weight_on_a_minus_inf_logit(fault):
    logits, labels = _batch()
    scores = 0.5 * _soft(labels) + 0.5 * _soft((labels + 1) % C)
    logits[5, (labels[5] + 1) % C] = float('-inf')
    fault.expect_error(lambda: _loss()(logits, scores),
                       ['sample 5', 'weight 0.5', '-inf'], (ValueError, ))


def test_soft_label_with_zero_weight_on_a_minus_inf_logit(fault):
    """Zero weight on a masked class is legitimate: the loss equals the one
    with that logit very negative but finite."""
    logits, labels = _batch()
    labels = labels.clamp(max=C - 2)
    scores = 0.5 * _soft(labels) + 0.5 * _soft((labels + 1) % (C - 1))
    masked = logits.clone()
    masked[:, C - 1] = float('-inf')
    loss = _loss()
    value, reference = loss(masked, scores), loss(masked.clamp_min(-1e4),
                                                  scores)
    fault.record('correct' if torch.isclose(value, reference) else
                 'silent wrong', f'{value.item()} vs {reference.item()}')


def test_label_smoothing_with_a_masked_logit(fault):
    logits, labels = _batch()
    labels = labels.clamp(max=C - 2)
    logits[:, C - 1] = float('-inf')
    fault.expect_error(
        lambda: _loss(label_smoothing=0.1)(logits, labels),
        ['label_smoothing=0.1', f'class {C - 1}', 'label_smoothing=0'],
        (ValueError, ))


def test_empty_batch(fault):
    """It used to return NaN without a word."""
    fault.expect_error(
        lambda: _loss()(torch.zeros(0, C), torch.zeros(0, dtype=torch.long)),
        ['empty batch', '(0, 5)', 'drop_last'], (ValueError, ))


def test_sample_weights_that_would_broadcast(fault):
    logits, labels = _batch()
    fault.expect_error(
        lambda: _loss()(logits, labels, weight=torch.ones(N, 1)),
        ['weights', '(8, 1)', '(8,)'], (ValueError, ))


def _evaluate(scores, labels, **kwargs):
    metric = CMIMetric(num_classes=C, **kwargs)
    for start in range(0, len(labels), 4):
        metric.process(None, [dict(pred_score=p, gt_label=y.view(1))
                              for p, y in zip(scores[start:start + 4],
                                              labels[start:start + 4])])
    return metric.evaluate(len(labels))


@pytest.mark.parametrize('make, mentions', [
    (lambda z: z.softmax(1) * 2, ['16 of 16 rows', 'sum to 1', 'normalise']),
    (lambda z: z, ['negative', 'look like logits', "head's pred_score"]),
    (lambda z: z.softmax(1).index_fill(0, torch.tensor([6]), float('nan')),
     ['1 of 16 rows', 'NaN', 'batch 1']),
], ids=['scores_sum_to_2', 'raw_logits', 'nan_score'])
def test_cmi_metric_scores_that_are_not_probabilities(fault, make, mentions):
    """Rows summing to 2 used to double the CMI; logits gave NaN and a
    'collapsed?' warning; NaN scores gave NaN."""
    g = torch.Generator().manual_seed(2)
    logits, labels = torch.randn(16, C, generator=g), torch.arange(16) % C
    fault.expect_error(lambda: _evaluate(make(logits), labels),
                       ['CMIMetric pred_score'] + mentions, (ValueError, ))


@pytest.mark.parametrize('kwargs, mentions', [
    (dict(temperature='2'), ['temperature', 'real number', "'2'"]),
    (dict(temperature=True), ['temperature', 'real number']),
    (dict(num_classes='5'), ['num_classes', 'integer', "'5'"]),
    (dict(num_classes=5.0), ['num_classes', 'decimal point']),
    (dict(num_classes=1), ['num_classes', '>= 2']),
    (dict(collect_device='cuda'), ['collect_device', "'gpu'"]),
], ids=['temperature_str', 'temperature_bool', 'classes_str',
        'classes_float', 'classes_1', 'collect_device_cuda'])
def test_cmi_metric_bad_constructor_arguments(fault, kwargs, mentions):
    """temperature='2' used to fail with a bare "'<' not supported";
    num_classes='5' with a self-contradictory shape message."""
    arguments = {'num_classes': C, **kwargs}
    fault.expect_error(lambda: CMIMetric(**arguments), mentions,
                       (TypeError, ValueError))


def test_cmi_metric_integer_scores(fault):
    samples = [dict(pred_score=torch.tensor([0, 1, 0, 0, 0]),
                    gt_label=torch.tensor([1]))] * 2
    fault.expect_error(lambda: CMIMetric(num_classes=C).process(None,
                                                                samples),
                       ['pred_score', 'int64', 'pred_label'], (TypeError, ))


def test_cmi_metric_process_of_an_empty_batch_records_nothing(fault):
    """It used to fail inside torch.stack; now an empty list adds nothing,
    so the result equals the evaluation without it."""
    g = torch.Generator().manual_seed(3)
    probs, labels = torch.randn(12, C, generator=g).softmax(1), \
        torch.arange(12) % C
    batch = [dict(pred_score=p, gt_label=y.view(1))
             for p, y in zip(probs, labels)]
    results = []
    for batches in ([batch], [[], batch, []]):
        metric = CMIMetric(num_classes=C)
        for samples in batches:
            metric.process(None, samples)
        results.append(metric.evaluate(12))
    fault.record('correct' if results[0] == results[1] else 'silent wrong',
                 str(results))
