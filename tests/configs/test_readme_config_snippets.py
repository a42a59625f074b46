"""The README's ``python`` config snippets, pasted into a config that
inherits one of ours (as the README says to use them), build."""
import re
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mcmi_razor.registry import DATASETS

REPO = Path(__file__).resolve().parents[2]
README = (REPO / 'README.md').read_text()
SNIPPETS = re.findall(r'```python\n(.*?)```', README, re.S)
BASE = REPO / 'configs/students/resnet20_cifar100.py'


def _snippet(word: str) -> str:
    found = [s for s in SNIPPETS if word in s]
    assert len(found) == 1, f'expected one README python block with {word}'
    return found[0]


@pytest.mark.parametrize('dataset', ['FewShotDataset', 'ZeroShotDataset'])
def test_few_and_zero_shot_snippet_builds_on_a_student_config(
        tmp_path, dataset, cifar100_fixture_root):
    code = _snippet('FewShotDataset')
    if dataset == 'ZeroShotDataset':
        # The snippet's commented alternative, as a user would swap it in.
        alternative = re.search(r"# or: (type='mcmi_razor.ZeroShotDataset'"
                                r".*)", code).group(1)
        code = code.replace(
            "type='mcmi_razor.FewShotDataset', fraction=0.05, seed=0",
            alternative)
    config = tmp_path / 'student.py'
    config.write_text(f'_base_ = [{str(BASE)!r}]\n{code}')
    cfg = Config.fromfile(str(config))
    dataset_cfg = cfg.train_dataloader.dataset
    assert dataset_cfg.type == f'mcmi_razor.{dataset}'
    base = Config.fromfile(str(BASE))
    assert dataset_cfg.dataset.pipeline == base.train_pipeline
    # Built on the fixture files (CIFAR100 checks the real files' md5).
    dataset_cfg.dataset.update(type='UnverifiedCIFAR100',
                               data_root=str(cifar100_fixture_root))
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        built = DATASETS.build(dataset_cfg)
    # The fixture holds 5 training images per class; few-shot keeps
    # max(1, round(0.05 * 5)) = 1 per class, zero-shot drops 2 classes.
    expected = 100 if dataset == 'FewShotDataset' else 98 * 5
    assert len(built) == expected
