"""Student-only checkpoints from distillation checkpoints."""
from collections import OrderedDict

import pytest
import torch

from mcmi_razor.apis.student_checkpoint import (
    extract_student,
    extract_student_file,
)


def distill_checkpoint() -> dict:
    state = OrderedDict([
        ('architecture.backbone.conv1.weight', torch.ones(2)),
        ('teacher.backbone.conv1.weight', torch.zeros(3)),
        ('architecture.head.fc.bias', torch.full((4, ), 2.0)),
        ('distiller.connectors.embed_s.linear.weight', torch.zeros(1)),
        ('distiller.distill_losses.loss_crd.contrast.memory_v1',
         torch.zeros(5)),
        ('data_preprocessor.mean', torch.zeros(3)),
    ])
    return dict(
        meta=dict(epoch=240, seed=3, dataset_meta=dict(classes=['a'])),
        state_dict=state,
        optimizer=dict(state={}),
        message_hub=object(),
        param_schedulers=[])


def test_student_keeps_architecture_tensors_without_prefix_in_order():
    student = extract_student(distill_checkpoint())
    assert list(student) == ['meta', 'state_dict']
    assert list(student['state_dict']) == [
        'backbone.conv1.weight', 'head.fc.bias'
    ]
    assert torch.equal(student['state_dict']['head.fc.bias'],
                       torch.full((4, ), 2.0))
    assert student['meta'] == dict(
        epoch=240, seed=3, dataset_meta=dict(classes=['a']))


def test_a_classifier_checkpoint_is_not_mistaken_for_a_distiller():
    with pytest.raises(ValueError, match="'backbone', 'head'"):
        extract_student(dict(state_dict={'backbone.w': 1, 'head.b': 2}))
    with pytest.raises(ValueError, match='state_dict'):
        extract_student(dict(model={'w': 1}))


def test_file_is_written_whole_and_loads(tmp_path):
    src, dst = tmp_path / 'epoch_1.pth', tmp_path / 'out' / 'student.pth'
    torch.save({k: v
                for k, v in distill_checkpoint().items()
                if k != 'message_hub'}, src)
    extract_student_file(str(src), str(dst))
    loaded = torch.load(dst, weights_only=False)
    assert list(loaded['state_dict']) == [
        'backbone.conv1.weight', 'head.fc.bias'
    ]
    assert sorted(p.name for p in dst.parent.iterdir()) == ['student.pth']


def test_a_failed_write_leaves_the_previous_file_and_no_partial(
        tmp_path, monkeypatch):
    src, dst = tmp_path / 'epoch_1.pth', tmp_path / 'student.pth'
    torch.save(dict(state_dict={'architecture.w': torch.ones(1)}), src)
    dst.write_bytes(b'previous')

    def full_disk(obj, path):
        with open(path, 'wb') as f:
            f.write(b'trunc')
        raise OSError('No space left on device')

    monkeypatch.setattr(torch, 'save', full_disk)
    with pytest.raises(OSError, match='No space'):
        extract_student_file(str(src), str(dst))
    assert dst.read_bytes() == b'previous'
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'epoch_1.pth', 'student.pth'
    ]
