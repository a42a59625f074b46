"""Render the FontGlyphs100 data set (100 glyph classes, 32 x 32 RGB).

Example (after ``apt-get install`` of the font packages that
docs/font_glyphs.md lists):
    python tools/dataset_converters/make_font_glyphs.py data/font_glyphs

Writes ``data/font_glyphs/font-glyphs-100/{train,test,meta}`` in the
CIFAR-100 python layout, read by ``type='FontGlyphs100'``. Seeded: the same
fonts and arguments give the same bytes, and a second call finds the files
up to date and renders nothing.
"""
import argparse

try:
    from mcmi_razor.datasets.glyph_rendering import (
        FONT_DIRS,
        write_font_glyphs,
    )
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='data root to write into')
    parser.add_argument('--train-per-class', type=int, default=500)
    parser.add_argument('--test-per-class', type=int, default=100)
    parser.add_argument('--test-fraction', type=float, default=0.25,
                        help='share of the font design groups kept for test')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--font-dir', action='append', dest='font_dirs',
                        help=f'folder of fonts (default {FONT_DIRS[0]})')
    args = parser.parse_args()
    folder = write_font_glyphs(
        args.root, args.train_per_class, args.test_per_class,
        args.test_fraction, args.seed, args.font_dirs or FONT_DIRS)
    print(f'FontGlyphs100 ready in {folder}')


if __name__ == '__main__':
    main()
