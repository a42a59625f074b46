"""For the loader's tests: no trust opt-in unless a test sets it, and a
checkpoint that runs code when unpickled."""
from pathlib import Path

import pytest


class _Payload:
    """Unpickling this touches ``marker``: the sign that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker, ))


@pytest.fixture
def crafted_checkpoint(tmp_path):
    """(checkpoint path, marker path): marker exists iff code ran on load."""
    import torch
    marker = tmp_path / 'payload_ran'
    path = tmp_path / 'crafted.pth'
    torch.save(dict(state_dict={}, payload=_Payload(marker)), path)
    return path, marker


@pytest.fixture(autouse=True)
def untrusted(monkeypatch):
    """No trust opt-in, and the once-per-process warning not yet given.
    (setenv first: monkeypatch then restores the variable's absence even
    when a test sets it through the flag.)"""
    from mcmi_razor.fileio import TRUST_ENV, checkpoint
    monkeypatch.setenv(TRUST_ENV, '')
    monkeypatch.delenv(TRUST_ENV)
    monkeypatch.setattr(checkpoint, '_warned', False)
