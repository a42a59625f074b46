import math

import pytest
import torch

from mcmi_razor.models.utils import ClassConditionalStats


def _brute_force(probs, labels, num_classes):
    """CMI as the mean over samples of KL(P_x || Q_y), by definition."""
    q = torch.stack([probs[labels == y].mean(0) for y in range(num_classes)])
    kl = (probs * (probs / q[labels]).log()).sum(1)
    return q, kl.mean().item()


@pytest.fixture
def sample():
    g = torch.Generator().manual_seed(0)
    probs = torch.softmax(torch.randn(200, 6, generator=g) * 2, 1).double()
    labels = torch.arange(200) % 6
    return probs, labels


def test_cmi_and_centroids_equal_brute_force(sample):
    probs, labels = sample
    stats = ClassConditionalStats(6)
    for chunk in range(0, 200, 37):   # streaming, uneven batches
        stats.update(probs[chunk:chunk + 37], labels[chunk:chunk + 37])
    q, cmi = _brute_force(probs, labels, 6)
    assert torch.allclose(stats.centroids(), q, atol=1e-12)
    assert stats.cmi() == pytest.approx(cmi, abs=1e-10)


def test_ncmi_divides_by_mean_pairwise_centroid_kl(sample):
    probs, labels = sample
    stats = ClassConditionalStats(6)
    stats.update(probs, labels)
    q, cmi = _brute_force(probs, labels, 6)
    prior = torch.bincount(labels, minlength=6).double() / len(labels)
    num = den = 0.0
    for a in range(6):
        for b in range(6):
            if a != b:
                weight = (prior[a] * prior[b]).item()
                num += weight * (q[a] * (q[a] / q[b]).log()).sum().item()
                den += weight
    assert stats.ncmi() == pytest.approx(cmi / (num / den))


def test_merging_shards_equals_one_pass(sample):
    probs, labels = sample
    whole, left, right = (ClassConditionalStats(6) for _ in range(3))
    whole.update(probs, labels)
    left.update(probs[:90], labels[:90])
    right.update(probs[90:], labels[90:])
    left.merge(right)
    assert torch.allclose(left.prob_sums, whole.prob_sums)
    assert left.cmi() == pytest.approx(whole.cmi(), abs=1e-12)


def test_zero_weight_rows_are_ignored(sample):
    probs, labels = sample
    weights = torch.nn.functional.one_hot(labels, 6).double()
    weights[150:] = 0
    masked, truncated = ClassConditionalStats(6), ClassConditionalStats(6)
    masked.update(probs, weights)
    truncated.update(probs[:150], labels[:150])
    assert masked.cmi() == pytest.approx(truncated.cmi(), abs=1e-12)


def test_one_hot_outputs_have_zero_cmi():
    probs = torch.eye(4).double().repeat(5, 1)
    stats = ClassConditionalStats(4)
    stats.update(probs, torch.arange(4).repeat(5))
    assert stats.cmi() == pytest.approx(0.0, abs=1e-12)


def test_unseen_classes_have_zero_rows_and_are_excluded():
    stats = ClassConditionalStats(3)
    stats.update(torch.tensor([[0.5, 0.5, 0.0]]).double(), torch.tensor([0]))
    assert stats.seen.tolist() == [True, False, False]
    assert stats.centroids()[1].abs().sum() == 0
    with pytest.raises(ValueError, match='two classes'):
        stats.separation()


def test_cross_entropy_of_hard_and_soft_labels_equals_the_definition(sample):
    probs, labels = sample
    hard = ClassConditionalStats(6)
    for chunk in range(0, 200, 37):
        hard.update(probs[chunk:chunk + 37], labels[chunk:chunk + 37])
    assert hard.cross_entropy() == pytest.approx(
        -probs[torch.arange(200), labels].log().mean().item(), abs=1e-12)
    # soft: 0.6 on the label, 0.4 on the next class, summed as an
    # expectation over the label distribution
    weights = (0.6 * torch.nn.functional.one_hot(labels, 6)
               + 0.4 * torch.nn.functional.one_hot((labels + 1) % 6, 6))
    soft = ClassConditionalStats(6)
    soft.update(probs, weights.double())
    expected = -(weights * probs.log()).sum(1).mean().item()
    # soft weights pass through float32 (to_soft_targets): 0.6 to ~1e-8
    assert soft.cross_entropy() == pytest.approx(expected, rel=1e-7)


def test_cross_entropy_of_a_label_given_probability_zero_is_infinite():
    probs = torch.tensor([[1.0, 0.0], [0.5, 0.5]], dtype=torch.float64)
    hard = ClassConditionalStats(2)
    hard.update(probs, torch.tensor([1, 0]))
    assert hard.cross_entropy() == float('inf')
    soft = ClassConditionalStats(2)   # weight 0 on the zero: 0 log 0 = 0
    soft.update(probs, torch.tensor([[1.0, 0.0], [1.0, 0.0]]))
    assert soft.cross_entropy() == pytest.approx(math.log(2) / 2)
