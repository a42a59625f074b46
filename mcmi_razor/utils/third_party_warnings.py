"""Silence the third-party warnings that say nothing about the user's run.

Each filter matches one known message from one package, with the reason it
is harmless here; nothing of mcmi-razor's own is ever filtered. Applied when
``mcmi_razor`` is imported (before mmcv is), so tools, configs with
``custom_imports`` and the tests print nothing alarming on a clean run.
"""
import warnings

# (message regex, category, why it is safe to hide)
KNOWN_WARNINGS = (
    (r'Fail to import ``MultiScaleDeformableAttention``', UserWarning,
     'mmcv-lite has no compiled ops; classification never uses that op'),
    (r'pkg_resources is deprecated as an API', UserWarning,
     'mmengine imports pkg_resources; setuptools<81 is pinned for it'),
    (r".*'pin_memory' argument is set as true but no accelerator",
     UserWarning,
     'mmpretrain configs ask for pinned memory; on a CPU-only machine '
     'torch ignores it'),
    (r'size_average and reduce args will be deprecated', UserWarning,
     "mmrazor's DKDLoss calls F.kl_div(size_average=False): same sum"),
    (r'The given NumPy array is not writable', UserWarning,
     "mmpretrain's (Fashion-)MNIST reader wraps read-only file buffers; "
     'the tensors are copied by the data pipeline before any write'),
)


def filter_third_party_warnings() -> None:
    """Install one targeted ``ignore`` filter per :data:`KNOWN_WARNINGS`."""
    for message, category, _ in KNOWN_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category)
