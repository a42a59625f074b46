import pytest
import torch

from mcmi_razor.models.utils import (
    ClassCentroids,
    ClassConditionalStats,
    LabelTargets,
)

C = 6


def _stats(seed=0, n=60):
    g = torch.Generator().manual_seed(seed)
    stats = ClassConditionalStats(C)
    stats.update(torch.softmax(torch.randn(n, C, generator=g) * 2, 1),
                 torch.arange(n) % C)
    return stats


def _floored_log(q, floor):
    return ((1 - floor) * q.double() + floor / C).clamp_min(1e-38).log()


def test_nothing_of_size_c_squared_exists_before_the_first_update():
    centroids = ClassCentroids(21841)
    assert centroids.value is None and centroids.log_value is None
    assert sum(b.numel() for b in centroids.buffers()) == 21841


@pytest.mark.parametrize('floor', [0.0, 1e-2])
def test_log_q_and_its_column_sums_follow_every_update(floor):
    centroids = ClassCentroids(C, floor=floor)
    centroids.set_exact(_stats())
    centroids.attach(ema_momentum=0.3)
    g = torch.Generator().manual_seed(3)
    for _ in range(20):   # online updates change a few rows each
        labels = torch.randint(0, C, (3, ), generator=g)
        probs = torch.softmax(torch.randn(3, C, generator=g) * 3, 1)
        centroids.update_online(probs, LabelTargets.from_label(labels, C))
    expected = _floored_log(centroids.value, floor)
    assert torch.allclose(centroids.log_value.double(), expected, atol=1e-6)
    assert torch.allclose(centroids.log_column_sums().double(),
                          expected.sum(0), atol=1e-4)


def test_exact_set_keeps_unseen_classes_and_marks_seen_ones():
    stats = ClassConditionalStats(C)
    stats.update(torch.softmax(torch.randn(4, C), 1),
                 torch.tensor([0, 0, 3, 3]))
    centroids = ClassCentroids(C)
    centroids.set_exact(stats)
    assert centroids.initialized.tolist() == [1, 0, 0, 1, 0, 0]
    assert not centroids.ready
    assert torch.allclose(centroids.value[0], stats.centroids()[0].float())
    assert torch.equal(centroids.value[1], torch.full((C, ), 1 / C))


@pytest.mark.parametrize('dtype', ['float32', 'bfloat16'])
def test_state_round_trip_is_bit_exact(dtype):
    source = ClassCentroids(C, floor=1e-3, dtype=dtype)
    source.set_exact(_stats())
    target = ClassCentroids(C, floor=1e-3, dtype=dtype)
    target.load_state(source.state())
    for name in ('value', 'log_value', 'initialized'):
        assert torch.equal(getattr(target, name), getattr(source, name))
    assert target.value.dtype == getattr(torch, dtype)


def test_half_precision_storage_halves_memory_and_stays_close():
    exact, small = ClassCentroids(C), ClassCentroids(C, dtype='bfloat16')
    for centroids in (exact, small):
        centroids.set_exact(_stats())
    assert small.value.element_size() * 2 == exact.value.element_size()
    assert torch.allclose(small.value.float(), exact.value, rtol=1e-2)
    assert not torch.equal(small.value.float(), exact.value)


def test_unknown_dtype_names_the_choices():
    with pytest.raises(ValueError, match='bfloat16'):
        ClassCentroids(C, dtype='int8')


def test_load_state_of_another_num_classes_is_refused():
    with pytest.raises(ValueError, match='another num_classes'):
        ClassCentroids(C).load_state(ClassCentroids(C + 1).state())


def test_state_records_the_temperature_and_another_is_refused():
    source = ClassCentroids(C, temperature=4.0)
    source.set_exact(_stats())
    state = source.state()
    assert state['temperature'] == 4.0
    same = ClassCentroids(C, temperature=4.0)
    same.load_state(state)
    assert torch.equal(same.value, source.value)
    with pytest.raises(ValueError, match=r'softmax\(z / 4\).*temperature=1\.'
                       r'.*temperature=4,'):
        ClassCentroids(C).load_state(state)


def test_a_state_without_temperature_counts_as_temperature_1():
    source = ClassCentroids(C)
    source.set_exact(_stats())
    old = {k: v for k, v in source.state().items() if k != 'temperature'}
    plain = ClassCentroids(C)
    plain.load_state(old)
    assert torch.equal(plain.value, source.value)
    with pytest.raises(ValueError, match=r'softmax\(z / 1\)'):
        ClassCentroids(C, temperature=4.0).load_state(old)
