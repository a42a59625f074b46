"""Datasets of mcmi_razor, registered in the ``mcmi_razor`` scope.

- ``FontGlyphs100``: a 100-class real-image task rendered from installed
  fonts (:mod:`.glyph_rendering` writes it), read in the CIFAR-100 layout.
- ``UnverifiedCIFAR10`` / ``UnverifiedCIFAR100``: mmpretrain's readers
  without md5 checks, for test fixtures only.
- ``FewShotDataset`` / ``ZeroShotDataset``: wrappers that shape the
  student's training data (class-balanced fraction; omitted classes).
- ``HeldOutDataset``: a class-balanced validation split of a training set
  and its complement, so schedules are never chosen on the test set.
- ``PackCRDInputs``: CRD's packing transform (mmrazor's needs mmcls).
- ``check_data_root``: a clear error, before the runner starts, when a
  config's CIFAR or (Fashion-)MNIST files are missing.
"""
from .crd_inputs import PackCRDInputs
from .data_root_check import check_data_root
from .few_shot import FewShotDataset
from .font_glyphs import FontGlyphs100
from .held_out import HeldOutDataset
from .unverified_cifar import UnverifiedCIFAR10, UnverifiedCIFAR100
from .zero_shot import ZeroShotDataset

__all__ = [
    'UnverifiedCIFAR10', 'UnverifiedCIFAR100', 'FontGlyphs100',
    'FewShotDataset',
    'ZeroShotDataset', 'HeldOutDataset', 'PackCRDInputs', 'check_data_root'
]
