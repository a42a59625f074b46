"""FontGlyphs100: a 100-class real-image task that installs offline.

No package reachable here ships CIFAR-100 or another many-class image set,
so this one is rendered from the font files of Debian's font packages:
100 glyph classes (digits, Latin capitals and small letters, 23 Greek small
letters, 15 symbols), 32 x 32 RGB, train and test drawn from disjoint font
families. Classes that look alike in many fonts (``O``/``o``/``0``,
``l``/``I``/``1``, ``x``/``X``/``chi``, ...) give the task the rich class
similarity of CIFAR-100 that a teacher's soft outputs can carry.

The files are written in the CIFAR-100 python layout (``train``, ``test``
and ``meta`` pickles, ``data`` uint8 (N, 3072) channel-major), so the reading
code is mmpretrain's own ``CIFAR10.load_data_list``. How they are made:
:mod:`mcmi_razor.datasets.glyph_rendering` and
``tools/dataset_converters/make_font_glyphs.py``.
"""
from pathlib import Path
from typing import Optional, Tuple

from mmpretrain.datasets import CIFAR10

from mcmi_razor.registry import DATASETS

_GREEK = ('alpha beta gamma delta epsilon zeta eta theta iota kappa lambda '
          'mu nu xi pi rho sigma tau upsilon phi chi psi omega').split()
_GREEK_CHARS = 'αβγδεζηθικλμνξπρστυφχψω'
_SYMBOLS = (('&', 'ampersand'), ('@', 'at'), ('#', 'hash'), ('$', 'dollar'),
            ('%', 'percent'), ('?', 'question'), ('!', 'exclamation'),
            ('+', 'plus'), ('=', 'equals'), ('<', 'less'), ('>', 'greater'),
            ('*', 'asterisk'), ('§', 'section'), ('£', 'pound'),
            ('¶', 'pilcrow'))

#: ``(character, class name)`` of the 100 classes, in label order.
GLYPHS: Tuple[Tuple[str, str], ...] = (
    tuple((d, f'digit_{d}') for d in '0123456789') +
    tuple((c, f'upper_{c}') for c in 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') +
    tuple((c, f'lower_{c}') for c in 'abcdefghijklmnopqrstuvwxyz') +
    tuple((c, f'greek_{n}') for c, n in zip(_GREEK_CHARS, _GREEK)) +
    _SYMBOLS)

FONT_GLYPHS_CLASSES = tuple(name for _, name in GLYPHS)
FONT_GLYPHS_FOLDER = 'font-glyphs-100'
MAKE_COMMAND = 'python tools/dataset_converters/make_font_glyphs.py'


@DATASETS.register_module()
class FontGlyphs100(CIFAR10):
    """The rendered 100-glyph task, read as mmpretrain reads CIFAR-100.

    ``data_root`` holds ``font-glyphs-100/{train,test,meta}`` as written by
    :func:`~mcmi_razor.datasets.glyph_rendering.write_font_glyphs`. There is
    no download (the files are rendered locally), and no md5 check (their
    bytes depend on the installed fonts): the manifest in ``meta`` records
    the fonts and seed instead.

    Args:
        data_root (str): Folder holding ``font-glyphs-100``.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        metainfo (dict, optional): Overrides the class names.
        data_prefix (str): As in mmpretrain's ``CIFAR10``.
        test_mode (bool): As in mmpretrain's ``CIFAR10``.
        **kwargs: Other keyword arguments of mmpretrain's ``BaseDataset``.
    """

    base_folder = FONT_GLYPHS_FOLDER
    train_list = [['train', None]]
    test_list = [['test', None]]
    meta = {'filename': 'meta', 'key': 'fine_label_names', 'md5': None}
    METAINFO = {'classes': FONT_GLYPHS_CLASSES}

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 metainfo: Optional[dict] = None,
                 data_prefix: str = '',
                 test_mode: bool = False,
                 **kwargs):
        if kwargs.pop('download', False):
            raise ValueError(
                'FontGlyphs100 is rendered locally and cannot be downloaded: '
                f'drop download=True and write the files with `{MAKE_COMMAND} '
                f'{data_root or "data/font_glyphs"}`.')
        super().__init__(
            data_root=data_root,
            split=split,
            metainfo=metainfo,
            download=False,
            data_prefix=data_prefix,
            test_mode=test_mode,
            **kwargs)

    @classmethod
    def how_to_get(cls, root: str) -> str:
        """The command that writes the files under ``root``."""
        return ('These files are rendered from installed fonts (see '
                'docs/font_glyphs.md). Write them with\n'
                f'    {MAKE_COMMAND} {root}')

    def load_data_list(self):
        """Refuse missing files with the command that writes them."""
        root = Path(self.data_prefix['root'], self.base_folder)
        missing = [
            str(root / name) for name in ('train', 'test', 'meta')
            if not (root / name).exists()
        ]
        if missing:
            raise FileNotFoundError(
                f'FontGlyphs100 found no data at {root}; missing: '
                f'{", ".join(missing)}. {self.how_to_get(str(root.parent))}')
        return super().load_data_list()
