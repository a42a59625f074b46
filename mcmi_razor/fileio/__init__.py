"""The project's one module for checkpoint and result files.

:mod:`.checkpoint` reads checkpoints safely (allow-listed ``weights_only``
loading, clear errors for damaged files, an explicit trust opt-in);
:mod:`.atomic` writes files that appear complete or not at all;
:mod:`.generated_block` rewrites the generated part of a page.
``mcmi_razor.compat.checkpoint_io`` installs both into MMEngine.
"""
from .atomic import atomic_path, save_atomic, write_text_atomic
from .checkpoint import (
    TRUST_ENV,
    TRUST_FLAG,
    CheckpointError,
    UntrustedCheckpointError,
    add_trust_argument,
    check_checkpoint_file,
    checkpoints_trusted,
    load_checkpoint,
    load_url,
    trust_checkpoints,
)
from .generated_block import block_span, replace_block

__all__ = [
    'TRUST_ENV', 'TRUST_FLAG', 'CheckpointError', 'UntrustedCheckpointError',
    'add_trust_argument', 'atomic_path', 'block_span',
    'check_checkpoint_file',
    'checkpoints_trusted',
    'load_checkpoint', 'load_url', 'replace_block', 'save_atomic',
    'trust_checkpoints',
    'write_text_atomic'
]
