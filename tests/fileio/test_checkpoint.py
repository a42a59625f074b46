"""mcmi_razor.fileio.checkpoint: safe loading, trust opt-in, URLs."""
import argparse
import os
import warnings

import pytest
import torch

from mcmi_razor.fileio import (
    TRUST_ENV,
    UntrustedCheckpointError,
    add_trust_argument,
    load_checkpoint,
)


def test_a_payload_is_refused_naming_its_types_and_the_opt_in(
        crafted_checkpoint):
    path, marker = crafted_checkpoint
    with pytest.raises(UntrustedCheckpointError) as error:
        load_checkpoint(str(path))
    assert not marker.exists()
    message = str(error.value)
    for part in (str(path), 'pathlib', '--trust-checkpoint', TRUST_ENV):
        assert part in message


def test_the_opt_in_loads_anything_and_warns_once(crafted_checkpoint,
                                                  monkeypatch):
    path, marker = crafted_checkpoint
    monkeypatch.setenv(TRUST_ENV, '1')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        load_checkpoint(str(path))
        load_checkpoint(str(path))
    assert marker.exists()   # the user asked for it
    assert [str(w.message).count('weights_only=False') for w in caught] == [1]


def test_the_flag_sets_the_environment_for_child_processes(monkeypatch):
    parser = argparse.ArgumentParser()
    add_trust_argument(parser)
    assert parser.parse_args([]).trust_checkpoint is False
    assert TRUST_ENV not in os.environ
    assert parser.parse_args(['--trust-checkpoint']).trust_checkpoint
    assert os.environ[TRUST_ENV] == '1'


def test_a_url_is_downloaded_once_and_loaded_safely(http_folder):
    folder, base = http_folder
    torch.save({'state_dict': {'w': torch.arange(3.)}}, folder / 'good.pth')
    first = load_checkpoint(f'{base}/good.pth')
    (folder / 'good.pth').unlink()   # the second load uses the cache
    second = load_checkpoint(f'{base}/good.pth')
    assert torch.equal(first['state_dict']['w'], second['state_dict']['w'])


def test_a_remote_payload_is_refused(http_folder, crafted_checkpoint):
    folder, base = http_folder
    path, marker = crafted_checkpoint
    (folder / 'evil.pth').write_bytes(path.read_bytes())
    with pytest.raises(UntrustedCheckpointError, match='pathlib'):
        load_checkpoint(f'{base}/evil.pth')
    assert not marker.exists()


def test_checkpoints_of_old_torch_load(tmp_path):
    """torch < 1.6 wrote no zip archive (no checksums) and still loads."""
    path = tmp_path / 'legacy.pth'
    torch.save({'w': torch.ones(2)}, path,
               _use_new_zipfile_serialization=False)
    assert torch.equal(load_checkpoint(str(path))['w'], torch.ones(2))
