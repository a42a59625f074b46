"""The analysis tools' shared command line: models given as
``--model NAME CONFIG CHECKPOINT`` (evaluated here) or ``--logits NAME
FILE`` (saved outputs), and their tables written next to their figure."""
import argparse
import os
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.config import DictAction

from mcmi_razor.fileio import add_trust_argument, load_checkpoint

from .predictions import collect_logits
from .tables import markdown_table, write_csv


def add_model_args(
        parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--model``, ``--logits``, ``--cfg-options``, ``--out-dir``,
    ``--caption`` and ``--trust-checkpoint`` to ``parser``; returns it."""
    parser.add_argument(
        '--model', nargs=3, action='append', default=[],
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help='a model to evaluate on the test split of its config '
        '(repeatable)')
    parser.add_argument(
        '--logits', nargs=2, action='append', default=[],
        metavar=('NAME', 'FILE'),
        help="saved test outputs instead: a torch file with 'logits' (N, C) "
        "and 'labels' (N,) (repeatable)")
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={},
        metavar='KEY=VALUE',
        help='overrides for every --model config, e.g. '
        'test_dataloader.dataset.data_root=data/fashion_mnist')
    parser.add_argument('--out-dir', required=True,
                        help='directory for the PNG and the tables')
    parser.add_argument(
        '--caption', default='',
        help='caption under the figure: say what was run, e.g. "5%% of the '
        'training data, 6 epochs, seed 0"')
    add_trust_argument(parser)
    return parser


def load_models(
        args: argparse.Namespace) -> Dict[str, Tuple[torch.Tensor,
                                                     torch.Tensor]]:
    """name -> (logits (N, C), labels (N,)), in command-line order; creates
    ``args.out_dir``."""
    if not args.model and not args.logits:
        raise SystemExit('Give at least one --model NAME CONFIG CHECKPOINT '
                         'or --logits NAME FILE.')
    models = {}
    for name, config, checkpoint in args.model:
        models[name] = collect_logits(config, checkpoint,
                                      args.cfg_options or None)
    for name, path in args.logits:
        saved = load_checkpoint(path)
        models[name] = (saved['logits'], saved['labels'])
    os.makedirs(args.out_dir, exist_ok=True)
    return models


def write_tables(stem: str, rows: List[dict], columns: List[str],
                 table: Optional[str] = None) -> None:
    """Write ``stem``.csv and ``stem``.md (the figure is ``stem``.png) and
    print the table; ``table`` defaults to the Markdown table of ``rows``."""
    if table is None:
        table = markdown_table(rows, columns)
    write_csv(stem + '.csv', rows, columns)
    with open(stem + '.md', 'w') as f:
        f.write(table)
    print(table)
    print(f'wrote {stem}.png/.csv/.md')
