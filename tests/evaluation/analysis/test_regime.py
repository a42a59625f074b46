"""The regime report: numbers against direct formulas, and the warning."""
import pytest
import torch

from mcmi_razor.evaluation.analysis.regime import (
    CONFIDENT_MAX_PROB,
    RegimeAccumulator,
    regime_from_logits,
    regime_warning,
)


def _logits_and_labels(seed: int = 0, n: int = 60, c: int = 4):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % c
    logits = torch.randn(n, c, generator=generator)
    logits[torch.arange(n), labels] += 1.5
    return logits, labels


def test_regime_matches_the_direct_formulas():
    logits, labels = _logits_and_labels()
    regime = regime_from_logits(logits, labels, split='test')
    p = logits.double().softmax(1)
    assert regime.num_samples == 60
    assert regime.accuracy == pytest.approx(
        (p.argmax(1) == labels).double().mean().item())
    assert regime.cross_entropy == pytest.approx(
        -p[torch.arange(60), labels].log().mean().item())
    assert regime.mean_max_prob == pytest.approx(p.max(1).values.mean()
                                                 .item())
    q = torch.stack([p[labels == y].mean(0) for y in range(4)])
    kl = (p * (p.log() - q[labels].log())).sum(1)   # KL(P_x || Q_y)
    assert regime.cmi == pytest.approx(kl.mean().item(), rel=1e-9)
    y, c, value = regime.smallest_centroid_entries[0]
    assert value == pytest.approx(q.min().item())
    assert q[y, c] == q.min()
    values = [v for _, _, v in regime.smallest_centroid_entries]
    assert values == sorted(values) and len(values) == 3


def test_batches_add_up_to_one_pass():
    logits, labels = _logits_and_labels()
    accumulator = RegimeAccumulator(4)
    for chunk in range(0, 60, 7):
        accumulator.update(logits[chunk:chunk + 7], labels[chunk:chunk + 7])
    streamed = accumulator.result('test')
    whole = regime_from_logits(logits, labels, split='test')
    for field in ('accuracy', 'cross_entropy', 'cmi', 'mean_max_prob'):
        assert getattr(streamed, field) == pytest.approx(
            getattr(whole, field), rel=1e-12)


def test_near_one_hot_teacher_gets_a_warning_that_says_what_to_do():
    labels = torch.arange(40) % 4
    confident = 8.0 * torch.nn.functional.one_hot(labels, 4).float()
    regime = regime_from_logits(confident, labels, split='train')
    assert regime.mean_max_prob > CONFIDENT_MAX_PROB
    warning = regime_warning(regime)
    assert 'near one-hot on the train split' in warning
    assert 'control' in warning and 'CMIBudgetHook' in warning
    assert 'docs/choosing_cmi_weight.md' in warning


def test_less_confident_teacher_gets_no_warning():
    logits, labels = _logits_and_labels()
    regime = regime_from_logits(logits, labels)
    assert regime.mean_max_prob < CONFIDENT_MAX_PROB
    assert regime_warning(regime) is None
    assert regime_warning(regime, threshold=regime.mean_max_prob / 2)


def test_summary_names_every_number():
    logits, labels = _logits_and_labels()
    line = regime_from_logits(logits, labels).summary()
    for word in ('accuracy', 'cross-entropy', 'CMI', 'max-probability',
                 'Q_'):
        assert word in line
    assert 'on 60 test samples' in line


def test_empty_split_is_refused_with_what_to_check():
    with pytest.raises(ValueError, match='data loader is not empty'):
        RegimeAccumulator(3).result('train')



@pytest.mark.slow
def test_compare_teachers_shows_confidence_and_warns_near_one_hot(
        run_tool, tmp_path):
    labels = torch.arange(40) % 4
    files = {}
    for name, scale in (('sharp', 8.0), ('soft', 1.0)):
        files[name] = tmp_path / f'{name}.pth'
        logits = scale * torch.nn.functional.one_hot(labels, 4).float()
        torch.save(dict(logits=logits, labels=labels), files[name])
    out = tmp_path / 'out'
    result = run_tool('analysis/compare_teachers.py', '--logits', 'sharp',
                      files['sharp'], '--logits', 'soft', files['soft'],
                      '--out-dir', out)
    assert 'sharp: The teacher is near one-hot' in result.stdout
    assert 'soft:' not in result.stdout
    table = (out / 'compare_teachers.md').read_text()
    assert 'mean_max_prob' in table and 'min_centroid' in table


def test_sums_stay_on_the_device_of_the_logits():
    """A pass on a GPU adds every batch where its logits are, with no copy
    to the host (the first GPU run found a CPU tensor stacked with CUDA
    ones). The meta device stands in for CUDA: any copy to the CPU, or a
    CPU tensor mixed in, raises there."""
    accumulator = RegimeAccumulator(4, torch.device('meta'))
    logits = torch.randn(6, 4, device='meta')
    accumulator.update(logits, torch.arange(6, device='meta') % 4)
    assert accumulator.sums.device.type == 'meta'
    assert accumulator.stats.prob_sums.device.type == 'meta'
