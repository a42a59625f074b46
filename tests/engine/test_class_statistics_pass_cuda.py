"""The exact pass on a CUDA device: the CPU's values, float64 sums on the
device, no synchronisation per batch, bfloat16 centroids from it."""
import copy
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

from mcmi_razor.engine.class_statistics_pass import collect_class_statistics
from mcmi_razor.models.utils import ClassCentroids
from mcmi_razor.registry import MODELS
from mcmi_razor.testing.host_transfers import cuda_syncs, in_package

pytestmark = pytest.mark.cuda

REPO = Path(__file__).resolve().parents[2]
C = 10


def _collate(batch):
    images, labels = zip(*batch)
    return dict(inputs=list(images),
                data_samples=[DataSample().set_gt_label(y) for y in labels])


def _loader(num_images, batch_size=4):
    g = torch.Generator().manual_seed(0)
    data = [(torch.randint(0, 256, (3, 32, 32), generator=g,
                           dtype=torch.uint8), i % C)
            for i in range(num_images)]
    return DataLoader(data, batch_size=batch_size, collate_fn=_collate)


@pytest.fixture(scope='module')
def models():
    """The same resnet8 (trained-looking BN statistics) on CPU and CUDA,
    with TF32 off so that CUDA computes in full float32."""
    flags = (torch.backends.cudnn.allow_tf32,
             torch.backends.cuda.matmul.allow_tf32)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    init_default_scope('mcmi_razor')
    cfg = Config.fromfile(REPO / 'configs/_base_/models/resnet8_cifar.py')
    cfg.model.head.num_classes = C
    cfg.model.data_preprocessor = dict(type='ClsDataPreprocessor')
    torch.manual_seed(0)
    cpu = MODELS.build(cfg.model).train()
    with torch.no_grad():
        cpu(torch.randn(16, 3, 32, 32) * 3 + 1, mode='tensor')
    yield cpu, copy.deepcopy(cpu).cuda()
    (torch.backends.cudnn.allow_tf32,
     torch.backends.cuda.matmul.allow_tf32) = flags


def test_the_pass_on_cuda_gives_the_cpu_values_in_float64_on_the_device(
        models):
    cpu_model, cuda_model = models
    on_cpu = collect_class_statistics(cpu_model, _loader(24), C,
                                      show_progress=False)
    on_cuda = collect_class_statistics(cuda_model, _loader(24), C,
                                       show_progress=False)
    for name in ('prob_sums', 'class_mass', 'entropy_sum', 'nll_sum'):
        value = getattr(on_cuda, name)
        assert (value.device.type, value.dtype) == ('cuda', torch.float64)
        torch.testing.assert_close(value.cpu(), getattr(on_cpu, name),
                                   rtol=1e-5, atol=1e-6)
    assert on_cuda.cmi() == pytest.approx(on_cpu.cmi(), abs=1e-5)


def test_the_pass_does_not_synchronise_per_batch(models):
    """What our code makes CUDA wait for does not grow with the number of
    batches (the loader's host-to-device copies are mmengine's)."""
    _, cuda_model = models
    counts = []
    for num_images in (8, 24):
        with cuda_syncs() as syncs:
            collect_class_statistics(cuda_model, _loader(num_images), C,
                                     show_progress=False)
        counts.append(in_package(syncs))
    assert len(counts[0]) == len(counts[1]), counts


def test_bfloat16_centroids_from_a_cuda_pass_are_the_rounded_means(models):
    _, cuda_model = models
    stats = collect_class_statistics(cuda_model, _loader(24), C,
                                     show_progress=False)
    centroids = ClassCentroids(C, dtype='bfloat16').cuda()
    centroids.set_exact(stats)
    assert centroids.value.dtype == torch.bfloat16
    assert centroids.value.device.type == 'cuda'
    torch.testing.assert_close(centroids.value.double(), stats.centroids(),
                               rtol=2 ** -8, atol=1e-6)
    assert bool(centroids.initialized.all())
