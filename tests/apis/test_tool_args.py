"""The tools' common parser: the analysis tools' model arguments, and the
CPU thread default that every tool's parse applies."""
import os

import torch

from mcmi_razor.apis import (
    model_tool_parser,
    parse_model_args,
    parse_train_args,
)


def test_model_tool_reads_saved_logits_and_creates_its_out_dir(tmp_path):
    saved = tmp_path / 'logits.pth'
    logits, labels = torch.randn(4, 3), torch.tensor([0, 1, 2, 0])
    torch.save(dict(logits=logits, labels=labels), saved)
    parser = model_tool_parser('A tool.')
    parser.add_argument('--temperature', type=float, default=1.0)
    out = tmp_path / 'out'
    args, models = parse_model_args(
        parser, ['--logits', 'MCMI', str(saved), '--out-dir', str(out)])
    assert args.temperature == 1.0 and out.is_dir()
    assert list(models) == ['MCMI']
    assert torch.equal(models['MCMI'][0], logits)
    assert torch.equal(models['MCMI'][1], labels)


def test_the_runner_tools_parse_applies_the_cpu_thread_default(monkeypatch):
    for name in ('OMP_NUM_THREADS', 'LOCAL_RANK'):   # restored after
        monkeypatch.delenv(name, raising=False)
    threads = []
    monkeypatch.setattr(torch, 'set_num_threads', threads.append)
    parse_train_args(['c.py'])
    assert threads and int(os.environ['OMP_NUM_THREADS']) == threads[0]
