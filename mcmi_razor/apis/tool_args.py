"""The entry of every tool: the command line our tools share.

A tool is a few lines of argument handling around a package call::

    try:
        from mcmi_razor.apis import parse_tool_args, tool_parser
    except ModuleNotFoundError as e:  # outside the environment
        raise SystemExit(f'{e}: source .venv/bin/activate ...') from None

The ``try`` is the environment guard. It is the one part a tool carries
itself: it must run before the package can be found (``python -I``, a
fresh shell without the project's environment, reaches nothing but the
standard library). Importing from :mod:`mcmi_razor` first also repairs the
pinned stack before anything of mmrazor loads.

Every tool then builds its parser from its docstring (:func:`tool_parser`)
and parses through :func:`parse_tool_args`; ``tools/train.py`` and
``tools/test.py`` start from :func:`runner_parser` (the config and the
flags they share; their own flags: :mod:`.runner_cli`) and parse through
:func:`parse_runner_args`. Both parsers apply the CPU thread default
(:func:`~mcmi_razor.utils.set_default_cpu_threads`) the same way.

The functions that parse a tool's command line live in the package, so that
tests parse one in-process. They take ``argv``, the arguments after the
tool's name (default: the command line), and ``doc``, the tool's docstring
for ``--help`` (default: none).
"""
import argparse
import os
from typing import Dict, List, Optional, Tuple

import torch

from mcmi_razor.evaluation.analysis.tool_args import (
    add_model_args,
    load_models,
)
from mcmi_razor.fileio import add_trust_argument
from mcmi_razor.utils import set_default_cpu_threads

from .tool_config import CfgOptionsAction


def tool_parser(doc: Optional[str], whole_doc: bool = False,
                trust: bool = True) -> argparse.ArgumentParser:
    """A parser described by a tool's module docstring.

    Args:
        doc (str, optional): The docstring; None for no description (a
            test parsing arguments in-process).
        whole_doc (bool): Show all of it, examples laid out as written;
            otherwise its first paragraph. Defaults to False.
        trust (bool): Add ``--trust-checkpoint``, for tools that load
            checkpoints. Defaults to True.
    """
    if whole_doc:
        parser = argparse.ArgumentParser(
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter)
    else:
        parser = argparse.ArgumentParser(
            description=doc.split('\n\n')[0] if doc else None)
    if trust:
        add_trust_argument(parser)
    return parser


def parse_tool_args(parser: argparse.ArgumentParser,
                    argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: the command line), then apply the tools'
    CPU thread default (:func:`~mcmi_razor.utils.set_default_cpu_threads`)."""
    args = parser.parse_args(argv)
    set_default_cpu_threads()
    return args


def model_tool_parser(doc: Optional[str]) -> argparse.ArgumentParser:
    """The parser of an analysis tool that reads models: :func:`tool_parser`
    with ``--model``/``--logits``, ``--cfg-options``, ``--out-dir``,
    ``--caption`` and ``--trust-checkpoint``
    (:func:`~mcmi_razor.evaluation.analysis.tool_args.add_model_args`)."""
    return add_model_args(tool_parser(doc, trust=False))


def parse_model_args(
    parser: argparse.ArgumentParser,
    argv: Optional[List[str]] = None
) -> Tuple[argparse.Namespace, Dict[str, Tuple[torch.Tensor, torch.Tensor]]]:
    """:func:`parse_tool_args` of a :func:`model_tool_parser`, then its
    models: ``name -> (logits (N, C), labels (N,))`` in command-line
    order (``--out-dir`` is created)."""
    args = parse_tool_args(parser, argv)
    return args, load_models(args)


def runner_parser(doc: Optional[str],
                  task: str) -> argparse.ArgumentParser:
    """The parser of ``tools/train.py`` (``task='train'``) or
    ``tools/test.py`` (``'test'``): the config, the flags both share with
    mmpretrain's tools (``--work-dir``, ``--cfg-options``, ``--amp``,
    ``--no-pin-memory``, ``--launcher``, ``--local_rank``) and ours
    (``--allow-unknown-keys``, ``--trust-checkpoint``)."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument('config', help=f'{task} config file path')
    parser.add_argument(
        '--work-dir', help='directory for logs, checkpoints and metrics '
        '(default: work_dir of the config, else ./work_dirs/<config name>)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=CfgOptionsAction,
        help='override config entries, e.g. train_cfg.max_epochs=1 or '
        'test_dataloader.batch_size=8')
    parser.add_argument(
        '--allow-unknown-keys', action='store_true',
        help='accept --cfg-options top-level keys that neither the config '
        'nor the runner has (otherwise an error: a typo would be ignored)')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision')
    parser.add_argument('--no-pin-memory', action='store_true',
                        help='disable pin_memory in the dataloaders')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    add_trust_argument(parser)
    return parser


def parse_runner_args(
        parser: argparse.ArgumentParser,
        argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: the command line) with a
    :func:`runner_parser`; ``--local_rank`` becomes ``LOCAL_RANK`` unless
    the launcher set it, then the CPU thread default applies (it reads
    ``LOCAL_WORLD_SIZE``)."""
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    set_default_cpu_threads()
    return args
