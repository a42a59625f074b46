"""Fail early, and say how to fix it, when no usable mmcv is installed."""
from importlib import metadata

_SUPPORTED = '>=2.0.0rc1,<=2.1.0'


def require_mmcv() -> None:
    """Raise ImportError unless mmcv or mmcv-lite 2.0-2.1 is installed.

    mmrazor 1.0.0 asserts this range at import time; mmcv-lite (mmcv without
    compiled ops) is enough for classification and distillation.
    """
    try:
        import mmcv
    except ImportError as error:
        raise ImportError(
            'mcmi_razor needs mmcv 2.0-2.1 and none is installed. Run '
            "`pip install 'mcmi-razor[mmcv-lite]'` (no compiled ops, enough "
            "for classification) or install full mmcv 2.1.0.") from error
    from packaging.version import Version
    version = Version(mmcv.__version__)
    if not Version('2.0.0rc1') <= version <= Version('2.1.0'):
        dist = 'mmcv-lite' if _installed('mmcv-lite') else 'mmcv'
        raise ImportError(
            f'mcmi_razor needs mmcv {_SUPPORTED} (mmrazor 1.0.0 asserts it), '
            f'found {dist} {mmcv.__version__}. Run '
            f"`pip install '{dist}==2.1.0'`.")


def _installed(dist: str) -> bool:
    try:
        metadata.version(dist)
    except metadata.PackageNotFoundError:
        return False
    return True
