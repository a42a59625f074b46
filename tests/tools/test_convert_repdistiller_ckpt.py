"""tools/convert_repdistiller_ckpt.py: same logits after conversion."""
import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import load_checkpoint

import mcmi_razor  # noqa: F401  (registers the backbones)
from mcmi_razor.apis.repdistiller_cli import run_converter
from mcmi_razor.models.backbones.repdistiller_keys import (
    classifier_cfg,
    convert_state_dict,
    resolve_arch,
)
from mcmi_razor.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
MANIFEST = json.loads(
    (REPO / 'tests/fixtures/repdistiller_state_dicts.json').read_text())

# logits[:, :3] of RepDistiller's own nets (float64, eval mode) with the
# weights of ``random_repdistiller_state_dict(name)`` on ``seeded_input()``,
# obtained by running its ``models`` package (commit eedab9d).
REPDISTILLER_LOGITS = {
    'wrn_16_2': [0.062426, 0.166499, 0.315661, 0.077032, 0.1812, 0.328976],
    'vgg8': [-0.289556, 0.505115, 0.020445, -0.289023, 0.503008, 0.050319],
    'mobile_half':
    [-0.590749, -0.228441, 0.134623, -0.593869, -0.240104, 0.140011],
    'ShuffleV1':
    [-0.604425, -0.016622, 0.2899, -0.623059, -0.009133, 0.283363],
    'ShuffleV2':
    [0.143997, -0.361191, -0.099104, 0.145329, -0.361137, -0.099682],
    'resnet8x4':
    [-0.099649, 0.475618, -0.004601, -0.10557, 0.414872, -0.006897],
}


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    """Tiny batches: one thread is faster, and not slowed by busy cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def random_repdistiller_state_dict(name: str, seed: int = 0) -> dict:
    """Their key layout (from the manifest) with random, stable values."""
    gen = torch.Generator().manual_seed(seed)
    state_dict = {}
    for key, shape in MANIFEST[name]:
        if key.endswith('num_batches_tracked'):
            value = torch.tensor(100)
        elif key.endswith('running_var'):
            value = torch.rand(shape, generator=gen) + 0.5
        elif key.endswith('weight') and len(shape) > 1:
            fan_in = math.prod(shape[1:])
            value = torch.randn(shape, generator=gen) / math.sqrt(fan_in)
        elif key.endswith('weight'):
            value = 1 + 0.1 * torch.randn(shape, generator=gen)
        else:
            value = 0.1 * torch.randn(shape, generator=gen)
        state_dict[key] = value
    return state_dict


def seeded_input() -> torch.Tensor:
    gen = torch.Generator().manual_seed(1)
    return torch.randn(2, 3, 32, 32, generator=gen).double()


def reference_resnet_logits(sd: dict, x: torch.Tensor) -> torch.Tensor:
    """RepDistiller's CIFAR ResNet forward (eval mode) on its raw tensors."""

    def bn(x, name):
        return F.batch_norm(x, sd[f'{name}.running_mean'],
                            sd[f'{name}.running_var'], sd[f'{name}.weight'],
                            sd[f'{name}.bias'], False, 0.0, 1e-5)

    x = F.relu(bn(F.conv2d(x, sd['conv1.weight'], padding=1), 'bn1'))
    for stage in (1, 2, 3):
        block = 0
        while f'layer{stage}.{block}.conv1.weight' in sd:
            p = f'layer{stage}.{block}'
            stride = 2 if stage > 1 and block == 0 else 1
            out = F.conv2d(
                x, sd[f'{p}.conv1.weight'], stride=stride, padding=1)
            out = F.relu(bn(out, f'{p}.bn1'))
            out = bn(F.conv2d(out, sd[f'{p}.conv2.weight'], padding=1),
                     f'{p}.bn2')
            if f'{p}.downsample.0.weight' in sd:
                x = F.conv2d(x, sd[f'{p}.downsample.0.weight'], stride=stride)
                x = bn(x, f'{p}.downsample.1')
            x = F.relu(out + x)
            block += 1
    x = F.avg_pool2d(x, 8).flatten(1)
    return F.linear(x, sd['fc.weight'], sd['fc.bias'])


def test_converted_resnet56_gives_repdistiller_logits(
        tmp_path, run_tool, mcmi_razor_scope):
    state_dict = random_repdistiller_state_dict('resnet56')
    src, dst = tmp_path / 'ckpt_epoch_240.pth', tmp_path / 'out/r56.pth'
    torch.save({'epoch': 240, 'model': state_dict, 'best_acc': 72.3}, src)

    run_tool('convert_repdistiller_ckpt.py', src, dst, '--arch', 'resnet56',
             env=dict(OMP_NUM_THREADS='1'))
    assert [p.name for p in dst.parent.iterdir()] == ['r56.pth']

    cfg = Config.fromfile(REPO / 'configs/_base_/models/resnet56_cifar.py')
    model = MODELS.build(cfg.model)
    checkpoint = load_checkpoint(model, str(dst), strict=True)
    assert checkpoint['meta']['epoch'] == 240
    model.double().eval()
    x = torch.randn(4, 3, 32, 32, dtype=torch.double)
    with torch.no_grad():
        logits = model(x, mode='tensor')
        expected = reference_resnet_logits(
            {k: v.double() for k, v in state_dict.items()}, x)
    torch.testing.assert_close(logits, expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize('name', list(REPDISTILLER_LOGITS))
def test_converted_weights_give_repdistiller_logits(name, mcmi_razor_scope):
    arch = resolve_arch(name)
    model = MODELS.build(classifier_cfg(arch))
    model.load_state_dict(
        convert_state_dict(arch, random_repdistiller_state_dict(name)),
        strict=True)
    model.double().eval()
    with torch.no_grad():
        logits = model(seeded_input(), mode='tensor')[:, :3].flatten()
    expected = torch.tensor(REPDISTILLER_LOGITS[name], dtype=torch.double)
    torch.testing.assert_close(logits, expected, rtol=0, atol=2e-6)


def test_data_parallel_prefix_and_aliases_are_accepted(tmp_path):
    state_dict = random_repdistiller_state_dict('ShuffleV1')
    src, dst = tmp_path / 'bare.pth', tmp_path / 'out.pth'
    torch.save({f'module.{k}': v for k, v in state_dict.items()}, src)
    assert run_converter([str(src), str(dst), '--arch', 'ShuffleV1']) == 0
    converted = torch.load(dst, weights_only=True)
    assert converted['meta']['arch'] == 'shufflenetv1'
    assert torch.equal(converted['state_dict']['head.fc.weight'],
                       state_dict['linear.weight'])


def test_unknown_arch_lists_the_valid_ones(capsys):
    with pytest.raises(SystemExit):
        run_converter(['a.pth', 'b.pth', '--arch', 'resnet18'])
    err = capsys.readouterr().err
    assert "Unknown arch 'resnet18'" in err and 'resnet56, resnet110' in err


def test_wrong_num_classes_names_the_key_and_the_fix(tmp_path, capsys):
    src, dst = tmp_path / 'wrn.pth', tmp_path / 'out.pth'
    torch.save({'model': random_repdistiller_state_dict('wrn_16_1')}, src)
    code = run_converter(
        [str(src), str(dst), '--arch', 'wrn_16_1', '--num-classes', '10'])
    err = capsys.readouterr().err
    assert code == 1 and not dst.exists()
    assert 'fc.weight -> head.fc.weight: checkpoint (100, 64), model ' \
        '(10, 64)' in err
    assert '--num-classes 100' in err


def test_wrong_arch_names_missing_and_unexpected_keys(tmp_path, capsys):
    src, dst = tmp_path / 'r8.pth', tmp_path / 'out.pth'
    torch.save({'model': random_repdistiller_state_dict('resnet8')}, src)
    code = run_converter([str(src), str(dst), '--arch', 'resnet14'])
    err = capsys.readouterr().err
    assert code == 1 and not dst.exists()
    assert 'not in the checkpoint: backbone.layer1.1.conv1.weight' in err
    assert 'Check --arch' in err


def test_mmpretrain_checkpoint_is_refused_with_a_reason(tmp_path, capsys):
    src = tmp_path / 'mm.pth'
    torch.save({'state_dict': {}, 'meta': {}}, src)
    assert run_converter([str(src), str(tmp_path / 'o.pth'), '--arch',
                          'vgg8']) == 1
    assert 'already an MMEngine/mmpretrain checkpoint' in \
        capsys.readouterr().err
