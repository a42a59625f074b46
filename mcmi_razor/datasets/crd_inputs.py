"""PackCRDInputs: mmpretrain's PackInputs plus the indices CRD needs.

mmrazor's ``CRDLoss`` reads two fields of every data sample: ``sample_idx``,
a 0-d int64 tensor (the sample's row in the contrastive memory), and
``contrast_sample_idxs``, an int64 tensor (K + 1,) (that row, then K
negatives), which mmrazor's ``CRDDataset`` wrapper adds. mmrazor 1.0.0 packs
them with ``PackCRDClsInputs``, a subclass of mmcls's ``PackClsInputs``;
mmpretrain replaced mmcls, so without mmcls that class is a placeholder that
cannot be built. mmpretrain's ``PackInputs`` keeps ``sample_idx`` as an int in
the metainfo, and mmcv's ``ToTensor`` makes it shape (1,), which
``CRDLoss``'s memory update (``index_copy_``) rejects. This is the same
packing for mmpretrain. Delete it when mmrazor's transform imports from
mmpretrain.
"""
import torch
from mmpretrain.datasets.transforms import PackInputs

from mcmi_razor.registry import TRANSFORMS

#: PackInputs' default meta keys but ``sample_idx``, which becomes data.
META_KEYS = tuple(key for key in PackInputs.DEFAULT_META_KEYS
                  if key != 'sample_idx')


@TRANSFORMS.register_module()
class PackCRDInputs(PackInputs):
    """Pack like ``PackInputs``, with ``sample_idx`` and
    ``contrast_sample_idxs`` as int64 tensors in the data sample.

    Args:
        input_key (str): The key of the input. Defaults to 'img'.
        algorithm_keys (Sequence[str]): More keys to pack as data fields.
        meta_keys (Sequence[str]): Keys to pack as metainfo; must not hold
            ``sample_idx``. Defaults to :data:`META_KEYS`.
    """

    def __init__(self, input_key='img', algorithm_keys=(),
                 meta_keys=META_KEYS) -> None:
        if 'sample_idx' in meta_keys:
            raise ValueError(
                'PackCRDInputs packs sample_idx as a tensor data field, so '
                f'meta_keys must not contain it; got {tuple(meta_keys)}.')
        super().__init__(input_key, algorithm_keys, meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack ``results``; ``sample_idx`` is required, the negatives are
        packed when present (training samples of ``CRDDataset``)."""
        if 'sample_idx' not in results:
            raise KeyError(
                'PackCRDInputs needs results["sample_idx"], which MMEngine\'s '
                'BaseDataset sets: use it in the pipeline of such a dataset '
                "(e.g. the one wrapped by mmrazor's CRDDataset).")
        packed = super().transform(results)
        sample = packed['data_samples']
        sample.set_field(
            torch.tensor(results['sample_idx'], dtype=torch.long),
            'sample_idx')
        if 'contrast_sample_idxs' in results:
            sample.set_field(
                torch.as_tensor(
                    results['contrast_sample_idxs'], dtype=torch.long),
                'contrast_sample_idxs')
        return packed
