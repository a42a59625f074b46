"""The CIFAR-100 teachers chain by file name: each MCMI fine-tune in
``configs/mcmi/`` loads the last epoch its MLL teacher in ``configs/mll/``
writes to its default work dir (``work_dirs/<config name>/``)."""
import pytest

from .conftest import LEAF_CONFIGS, load_config

FINE_TUNES = [
    path for path in LEAF_CONFIGS if path.startswith('configs/mcmi/')
    and load_config(path).get('load_from')
]


def test_every_architecture_has_a_fine_tune():
    archs = {path.split('/')[-1][len('mcmi_'):-len('_cifar100.py')]
             for path in FINE_TUNES}
    assert {'resnet56', 'resnet110', 'resnet32x4', 'vgg13',
            'wrn_40_2'} <= archs


@pytest.mark.parametrize('path', FINE_TUNES)
def test_fine_tune_loads_the_last_epoch_of_its_mll_teacher(path):
    name = path.split('/')[-1][:-len('.py')]
    arch = name[len('mcmi_'):].replace('_budget', '').removesuffix(
        '_cifar100')
    mll = f'mll_{arch}_cifar100'
    epochs = load_config(f'configs/mll/{mll}.py').train_cfg.max_epochs
    assert load_config(path).load_from == (
        f'work_dirs/{mll}/epoch_{epochs}.pth')
