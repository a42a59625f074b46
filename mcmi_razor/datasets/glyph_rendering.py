"""Render the FontGlyphs100 files from installed fonts, seeded and cached.

How an image is made (all draws from one seeded ``numpy`` generator per
split): pick a design group of the split uniformly, then one of its fonts;
draw the glyph white on black on a 64 x 64 canvas at a font size of 30-44
px, centred on the font's ascender/descender middle (so a capital and its
small letter still differ in height and position) and shifted by up to 4
px; apply a random affine map (rotation +-10 degrees, shear +-0.2), a
Gaussian blur (radius 0-1.2 px), a 2x box downsampling to 32 x 32; colour
it with a random foreground and background whose luminances differ by at
least 0.3; add Gaussian noise (sigma 0-6% of the range).

Fonts are those under the font folders whose character map covers all 100
glyphs. Families that are metric clones of one design (the Helvetica,
Times, Courier, ... clones of several packages) form one design group, and
train and test take disjoint groups, so a test image is never drawn in a
design the training set has seen. The ``meta`` file's manifest records the
seed, the counts and every font (path, family, group, side, sha256); a
second call with the same arguments and fonts returns without rendering,
and one whose manifest would differ is refused rather than overwriting.
"""
import hashlib
import pickle
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np

from mcmi_razor.fileio import atomic_path

from .font_glyphs import FONT_GLYPHS_CLASSES, FONT_GLYPHS_FOLDER, GLYPHS

MANIFEST_VERSION = 1
FONT_DIRS = ('/usr/share/fonts',)
CANVAS, IMAGE = 64, 32
#: Families left out: small letters drawn as capitals (Go Smallcaps), or
#: one placeholder shape for every character (Last Resort, matplotlib's).
EXCLUDED_FAMILIES = frozenset({'Go Smallcaps', 'Last Resort High-Efficiency'})
#: Metric clones and close derivatives of one design, kept on one side.
DESIGN_GROUPS: Dict[str, str] = {
    **dict.fromkeys(['Arimo', 'Liberation Sans', 'Nimbus Sans',
                     'TeX Gyre Heros', 'FreeSans'], 'helvetica'),
    **dict.fromkeys(['Liberation Sans Narrow', 'Nimbus Sans Narrow',
                     'TeX Gyre Heros Cn'], 'helvetica narrow'),
    **dict.fromkeys(['Tinos', 'Liberation Serif', 'Nimbus Roman',
                     'TeX Gyre Termes', 'FreeSerif', 'STIX', 'STIXGeneral',
                     'STIX Math'], 'times'),
    **dict.fromkeys(['Cousine', 'Liberation Mono', 'Nimbus Mono PS',
                     'TeX Gyre Cursor', 'FreeMono'], 'courier'),
    **dict.fromkeys(['P052', 'TeX Gyre Pagella'], 'palatino'),
    **dict.fromkeys(['URW Bookman', 'TeX Gyre Bonum'], 'bookman'),
    **dict.fromkeys(['C059', 'TeX Gyre Schola'], 'century schoolbook'),
    **dict.fromkeys(['URW Gothic', 'TeX Gyre Adventor'], 'avant garde'),
    **dict.fromkeys(['DejaVu Sans', 'DejaVu Sans Mono', 'DejaVu Serif',
                     'DejaVu Math TeX Gyre', 'Hack'], 'dejavu'),
    **dict.fromkeys(['Go', 'Go Medium', 'Go Mono'], 'go'),
    **dict.fromkeys(['Gentium', 'GentiumAlt'], 'gentium'),
    **dict.fromkeys(['Linux Biolinum O', 'Linux Libertine O',
                     'Linux Libertine Display O'], 'libertine'),
    **dict.fromkeys(['Noto Sans', 'Noto Sans Display', 'Noto Serif',
                     'Noto Serif Display', 'Open Sans',
                     'Open Sans Condensed'], 'noto'),
    **dict.fromkeys(['Roboto', 'Roboto Condensed'], 'roboto'),
}
FONT_SIZES = tuple(range(30, 45, 2))


@dataclass(frozen=True)
class Font:
    """One font file and where it goes."""

    path: str
    family: str
    group: str
    sha256: str


def find_fonts(font_dirs: Sequence[str] = FONT_DIRS) -> List[Font]:
    """The ``.ttf``/``.otf`` files under ``font_dirs`` that draw every glyph.

    Sorted by path, so the same installed fonts give the same list.
    """
    from fontTools.ttLib import TTFont

    codes = [ord(char) for char, _ in GLYPHS]
    fonts = []
    for folder in font_dirs:
        for path in sorted(Path(folder).rglob('*')):
            if path.suffix.lower() not in ('.ttf', '.otf'):
                continue
            try:
                font = TTFont(str(path), fontNumber=0, lazy=True)
                cmap = font.getBestCmap() or {}
                family = (font['name'].getDebugName(16) or
                          font['name'].getDebugName(1))
            except Exception:  # not a readable font: not a candidate
                continue
            if family in EXCLUDED_FAMILIES or not all(c in cmap
                                                      for c in codes):
                continue
            fonts.append(Font(str(path), family,
                              DESIGN_GROUPS.get(family, family.lower()),
                              hashlib.sha256(path.read_bytes()).hexdigest()))
    return sorted(fonts, key=lambda f: f.path)


def split_groups(fonts: Sequence[Font], test_fraction: float,
                 seed: int) -> Tuple[List[str], List[str]]:
    """Seeded, disjoint ``(train groups, test groups)`` of ``fonts``."""
    groups = sorted({f.group for f in fonts})
    if len(groups) < 2:
        raise ValueError(
            f'FontGlyphs100 needs fonts of at least 2 design groups to keep '
            f'train and test fonts disjoint; found {groups or "none"}. '
            'Install font packages (docs/font_glyphs.md lists them) or pass '
            'other font_dirs.')
    order = np.random.default_rng(seed).permutation(len(groups))
    n_test = min(len(groups) - 1, max(1, round(test_fraction * len(groups))))
    test = sorted(groups[i] for i in order[:n_test])
    return sorted(set(groups) - set(test)), test


@lru_cache(maxsize=4096)
def _pil_font(path: str, size: int):
    from PIL import ImageFont
    return ImageFont.truetype(path, size)


def render_glyph(char: str, font_path: str,
                 rng: np.random.Generator) -> np.ndarray:
    """One image of ``char``: uint8 (32, 32, 3), drawn as the module says."""
    from PIL import Image, ImageDraw, ImageFilter

    size = int(rng.choice(FONT_SIZES))
    shift = rng.uniform(-4, 4, size=2)
    canvas = Image.new('L', (CANVAS, CANVAS), 0)
    ImageDraw.Draw(canvas).text(
        (CANVAS / 2 + shift[0], CANVAS / 2 + shift[1]), char, fill=255,
        font=_pil_font(font_path, size), anchor='mm')
    angle = np.deg2rad(rng.uniform(-10, 10))
    shear = rng.uniform(-0.2, 0.2)
    # Inverse map (output -> input) about the canvas centre.
    a, b = np.cos(angle), np.sin(angle)
    m = np.array([[a, -b + shear], [b, a]])
    c = CANVAS / 2
    offset = np.array([c, c]) - m @ np.array([c, c])
    canvas = canvas.transform(
        canvas.size, Image.AFFINE,
        (m[0, 0], m[0, 1], offset[0], m[1, 0], m[1, 1], offset[1]),
        resample=Image.BILINEAR)
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2)))
    mask = np.asarray(canvas.resize((IMAGE, IMAGE), Image.BOX),
                      dtype=np.float64)[..., None] / 255
    foreground, background = _contrasting_colours(rng)
    image = background * (1 - mask) + foreground * mask
    image = image + rng.normal(0, rng.uniform(0, 0.06), image.shape)
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def _contrasting_colours(rng: np.random.Generator):
    weights = np.array([0.299, 0.587, 0.114])
    while True:
        foreground, background = rng.uniform(0, 1, (2, 3))
        if abs(weights @ foreground - weights @ background) >= 0.3:
            return foreground, background


def render_split(fonts: Sequence[Font], per_class: int,
                 rng: np.random.Generator) -> dict:
    """``per_class`` images of every glyph from ``fonts``, as a CIFAR entry.

    Returns:
        dict: ``data`` uint8 (N, 3072) channel-major, ``fine_labels`` and
        ``font_indices`` (into ``fonts``) of length N, class-major order.
    """
    by_group: Dict[str, List[int]] = {}
    for i, font in enumerate(fonts):
        by_group.setdefault(font.group, []).append(i)
    groups = sorted(by_group)
    images, labels, font_indices = [], [], []
    for label, (char, _) in enumerate(GLYPHS):
        for _ in range(per_class):
            members = by_group[groups[rng.integers(len(groups))]]
            index = members[rng.integers(len(members))]
            images.append(render_glyph(char, fonts[index].path, rng))
            labels.append(label)
            font_indices.append(index)
    data = np.stack(images).transpose(0, 3, 1, 2).reshape(len(images), -1)
    return dict(data=np.ascontiguousarray(data), fine_labels=labels,
                font_indices=font_indices)


def write_font_glyphs(root: Union[str, Path],
                      train_per_class: int = 500,
                      test_per_class: int = 100,
                      test_fraction: float = 0.25,
                      seed: int = 0,
                      font_dirs: Sequence[str] = FONT_DIRS) -> Path:
    """Write ``root/font-glyphs-100/{train,test,meta}``, or reuse them.

    Args:
        root (str | Path): The data root (the dataset's ``data_root``).
        train_per_class (int): Training images per class.
        test_per_class (int): Test images per class.
        test_fraction (float): Share of the design groups kept for test.
        seed (int): Seed of the group split and of every image.
        font_dirs (Sequence[str]): Folders searched for fonts.

    Returns:
        Path: The folder written (or found up to date).

    Raises:
        FileExistsError: Files are there with another manifest.
    """
    fonts = find_fonts(font_dirs)
    train_groups, test_groups = split_groups(fonts, test_fraction, seed)
    sides = {'train': [f for f in fonts if f.group in train_groups],
             'test': [f for f in fonts if f.group in test_groups]}
    manifest = dict(
        version=MANIFEST_VERSION, seed=seed, test_fraction=test_fraction,
        per_class=dict(train=train_per_class, test=test_per_class),
        groups=dict(train=train_groups, test=test_groups),
        fonts={side: [asdict(f) for f in members]
               for side, members in sides.items()})
    folder = Path(root, FONT_GLYPHS_FOLDER)
    meta_path = folder / 'meta'
    if meta_path.exists():
        old = pickle.loads(meta_path.read_bytes()).get('manifest')
        if old == manifest and all((folder / n).exists()
                                   for n in ('train', 'test')):
            return folder
        raise FileExistsError(
            f'{folder} holds FontGlyphs100 files made with other settings '
            'or fonts (its meta manifest differs). Remove the folder to '
            'render anew, or write elsewhere.')
    folder.mkdir(parents=True, exist_ok=True)
    for stream, side in enumerate(('train', 'test')):
        per_class = manifest['per_class'][side]
        entry = render_split(sides[side], per_class,
                             np.random.default_rng([seed, stream]))
        _dump(entry, folder / side)
    _dump(dict(fine_label_names=list(FONT_GLYPHS_CLASSES),
               manifest=manifest), meta_path)
    return folder


def _dump(obj: dict, path: Path) -> None:
    with atomic_path(str(path)) as tmp, open(tmp, 'wb') as f:
        pickle.dump(obj, f, protocol=4)
