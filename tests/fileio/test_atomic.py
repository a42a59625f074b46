"""mcmi_razor.fileio.atomic: a file appears complete or not at all."""
import pytest
import torch

from mcmi_razor.fileio import atomic_path, save_atomic, write_text_atomic


def test_a_failed_write_keeps_the_old_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / 'results.json'
    target.write_text('good')
    with pytest.raises(OSError, match='disk full'):
        with atomic_path(str(target)) as partial:
            with open(partial, 'w') as f:
                f.write('half')
            raise OSError('disk full')
    assert target.read_text() == 'good'
    assert [p.name for p in tmp_path.iterdir()] == ['results.json']


def test_the_partial_keeps_the_extension_and_is_renamed(tmp_path):
    target = tmp_path / 'sub' / 'metrics.json'
    with atomic_path(str(target)) as partial:
        assert partial.endswith('.json') and partial != str(target)
        assert not target.exists()
        with open(partial, 'w') as f:
            f.write('{}')
    assert target.read_text() == '{}'
    assert [p.name for p in target.parent.iterdir()] == ['metrics.json']


def test_a_writer_that_wrote_nothing_is_an_error(tmp_path):
    target = tmp_path / 'out.json'
    with pytest.raises(FileNotFoundError, match='out.json was not created'):
        with atomic_path(str(target)):
            pass
    assert not target.exists()


def test_save_and_write_text_replace_the_target(tmp_path):
    save_atomic({'w': torch.ones(2)}, str(tmp_path / 'a.pth'))
    save_atomic({'w': torch.zeros(2)}, str(tmp_path / 'a.pth'))
    write_text_atomic(str(tmp_path / 'a.md'), 'x')
    assert torch.equal(torch.load(tmp_path / 'a.pth')['w'], torch.zeros(2))
    assert (tmp_path / 'a.md').read_text() == 'x'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.md', 'a.pth']
