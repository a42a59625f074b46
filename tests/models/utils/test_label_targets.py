import pytest
import torch

from mcmi_razor.models.utils import LabelTargets
from mcmi_razor.models.utils.label_targets import SPARSE_MAX_CLASSES

C = 7


def _mixup(n, generator):
    """Scores mixing two one-hot labels per sample (k <= 2)."""
    a = torch.randint(0, C, (n, ), generator=generator)
    b = torch.randint(0, C, (n, ), generator=generator)
    lam = torch.rand(n, 1, generator=generator)
    eye = torch.eye(C)
    return lam * eye[a] + (1 - lam) * eye[b]


@pytest.fixture(params=['hard', 'mixup', 'dense'])
def scores(request):
    g = torch.Generator().manual_seed(0)
    if request.param == 'hard':
        return torch.randint(0, C, (9, ), generator=g)
    if request.param == 'mixup':
        return _mixup(9, g)
    return torch.softmax(torch.randn(9, C, generator=g), 1)


def _dense(label):
    return (torch.nn.functional.one_hot(label, C).float() if label.ndim == 1
            else label)


def test_sparse_products_equal_the_dense_ones(scores):
    g = torch.Generator().manual_seed(1)
    table = torch.randn(C, 5, generator=g)
    values = torch.randn(9, C, generator=g)
    targets = LabelTargets.from_label(scores, C)
    t = _dense(scores)
    assert torch.allclose(targets.mix_rows(table), t @ table, atol=1e-6)
    assert torch.allclose(targets.weighted_sum(values), (t * values).sum(1),
                          atol=1e-6)
    assert torch.allclose(targets.mass(), t.sum(1), atol=1e-6)
    assert torch.equal(targets.top, t.argmax(1))
    classes, sums, mass = targets.class_sums(values)
    present = (t.sum(0) > 0).nonzero().flatten()
    assert torch.equal(classes, present)
    assert torch.allclose(sums, (t.T @ values)[present], atol=1e-6)
    assert torch.allclose(mass, t.sum(0)[present], atol=1e-6)


def test_mixup_is_kept_sparse_and_dense_scores_are_not():
    g = torch.Generator().manual_seed(2)
    mixed = LabelTargets.from_label(_mixup(16, g), C)
    assert mixed.dense is None and len(mixed.rows) <= 2 * 16
    wide = torch.full((4, 64), 1 / 64)
    assert SPARSE_MAX_CLASSES < 64
    assert LabelTargets.from_label(wide, 64).dense is not None


def test_class_sums_keep_the_dtype_of_the_values():
    targets = LabelTargets.from_label(torch.tensor([0, 2, 2]), C)
    values = torch.rand(3, C, dtype=torch.float64)
    _, sums, mass = targets.class_sums(values)
    assert sums.dtype == mass.dtype == torch.float64
    assert torch.equal(sums[1], values[1] + values[2])
