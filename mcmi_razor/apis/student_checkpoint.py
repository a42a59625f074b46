"""Student-only checkpoints from mmrazor distillation checkpoints.

A ``SingleTeacherDistill`` checkpoint holds the whole algorithm: the student
under ``architecture.``, the frozen teacher under ``teacher.``, the
distiller's connectors and loss state (e.g. CRD's memory bank) under
``distiller.``, plus the optimizer and loop state. The student alone is what
gets deployed and evaluated with its plain config
(``configs/students/<arch>_cifar100.py``).
"""
from collections import OrderedDict

from mcmi_razor.fileio import load_checkpoint, save_atomic
from mcmi_razor.models.checkpoint_fit import STUDENT_PREFIX


def extract_student(checkpoint: dict) -> dict:
    """The student part of a distillation checkpoint.

    Args:
        checkpoint (dict): An MMEngine checkpoint of a mmrazor distillation
            algorithm, ``{'state_dict': ..., 'meta': ..., ...}``.

    Returns:
        dict: ``{'meta': ..., 'state_dict': ...}``: the ``architecture.*``
        entries with that prefix removed, in their order, and the meta
        unchanged. Teacher, distiller and data-preprocessor entries, the
        optimizer, schedulers and message hub are dropped.

    Raises:
        ValueError: if there is no state dict or no ``architecture.*`` key.
    """
    state_dict = checkpoint.get('state_dict') if isinstance(
        checkpoint, dict) else None
    if not isinstance(state_dict, dict):
        raise ValueError(
            'Expected an MMEngine checkpoint with a "state_dict" (what '
            'tools/train.py saves for a distillation config), got '
            f'{type(checkpoint).__name__} with keys '
            f'{sorted(checkpoint)[:8] if isinstance(checkpoint, dict) else []}'
            '.')
    student = OrderedDict((key[len(STUDENT_PREFIX):], value)
                          for key, value in state_dict.items()
                          if key.startswith(STUDENT_PREFIX))
    if not student:
        prefixes = sorted({key.split('.', 1)[0] for key in state_dict})
        raise ValueError(
            f'No "{STUDENT_PREFIX}*" entries in the state dict (its top-level '
            f'names are {prefixes}): this is not the checkpoint of a mmrazor '
            'distillation algorithm. A plain classifier checkpoint is already '
            'student-only.')
    return dict(meta=checkpoint.get('meta', {}), state_dict=student)


def extract_student_file(src: str, dst: str) -> dict:
    """Read ``src``, write its student to ``dst`` atomically.

    ``dst`` appears complete or not at all: the checkpoint is written to a
    temporary file in the same folder, then renamed.

    Args:
        src (str): A distillation checkpoint (path or URL), read with
            :func:`mcmi_razor.fileio.load_checkpoint`.
        dst (str): The student checkpoint to write; folders are created.

    Returns:
        dict: The student checkpoint written.
    """
    student = extract_student(load_checkpoint(src, map_location='cpu'))
    save_atomic(student, dst)
    return student
