"""Argument handling shared by the analysis tools: models given as
``--model NAME CONFIG CHECKPOINT`` or ``--logits NAME FILE``."""
import os

import torch

from mcmi_razor.evaluation.analysis import collect_logits, write_csv


def add_model_args(parser, required_one: bool = True) -> None:
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
        '--cfg-options', nargs='+', default=[],
        help='key=value overrides for every --model config, e.g. '
        'test_dataloader.dataset.data_root=data/fashion_mnist')
    parser.add_argument('--out-dir', required=True,
                        help='directory for the PNG and the tables')


def load_models(args) -> dict:
    """name -> (logits (N, C), labels (N,)), in command-line order."""
    if not args.model and not args.logits:
        raise SystemExit('Give at least one --model NAME CONFIG CHECKPOINT '
                         'or --logits NAME FILE.')
    options = dict(o.split('=', 1) for o in args.cfg_options) or None
    if options:
        from mmengine.config import DictAction
        options = {k: DictAction._parse_iterable(v)
                   for k, v in options.items()}
    models = {}
    for name, config, checkpoint in args.model:
        models[name] = collect_logits(config, checkpoint, options)
    for name, path in args.logits:
        saved = torch.load(path)
        models[name] = (saved['logits'], saved['labels'])
    os.makedirs(args.out_dir, exist_ok=True)
    return models


def write_tables(stem: str, rows: list, columns: list, table: str) -> None:
    """Write ``stem``.csv and ``stem``.md (the figure is ``stem``.png)."""
    write_csv(stem + '.csv', rows, columns)
    with open(stem + '.md', 'w') as f:
        f.write(table)
    print(table)
    print(f'wrote {stem}.png/.csv/.md')
