"""FontGlyphs100: rendered from real fonts, written in the CIFAR-100 python
layout, read back through the registered dataset class."""
import pickle
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from mcmi_razor.datasets import FontGlyphs100
from mcmi_razor.datasets.font_glyphs import FONT_GLYPHS_CLASSES, GLYPHS
from mcmi_razor.datasets.glyph_rendering import (
    find_fonts,
    split_groups,
    write_font_glyphs,
)
from mcmi_razor.registry import DATASETS

# Fonts that ship inside matplotlib's wheel (DejaVu, STIX): no Debian
# package needed, so the test runs on any machine with the environment.
MPL_FONTS = str(Path(matplotlib.get_data_path(), 'fonts', 'ttf'))


@pytest.fixture(scope='module')
def glyph_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('glyphs')
    write_font_glyphs(root, train_per_class=3, test_per_class=2,
                      test_fraction=0.5, seed=7, font_dirs=[MPL_FONTS])
    return root


def test_classes_are_100_distinct_characters_and_names():
    assert len(GLYPHS) == 100
    assert len({c for c, _ in GLYPHS}) == 100
    assert len(set(FONT_GLYPHS_CLASSES)) == 100


def test_fonts_that_miss_a_glyph_or_draw_placeholders_are_left_out():
    families = {f.family for f in find_fonts([MPL_FONTS])}
    # cm*10 lack Greek and symbols; Last Resort draws one box for all.
    assert families == {'DejaVu Sans', 'DejaVu Sans Mono', 'DejaVu Serif',
                        'STIXGeneral'}


def test_train_and_test_take_disjoint_design_groups(glyph_root):
    meta = pickle.loads(
        (glyph_root / 'font-glyphs-100' / 'meta').read_bytes())
    manifest = meta['manifest']
    train = {f['group'] for f in manifest['fonts']['train']}
    test = {f['group'] for f in manifest['fonts']['test']}
    assert train and test and not train & test
    # the DejaVu families are one design: never split across the sides
    assert 'dejavu' in train | test
    assert meta['fine_label_names'] == list(FONT_GLYPHS_CLASSES)


def test_dataset_reads_the_written_files_through_mmpretrain(glyph_root):
    train = DATASETS.build(dict(type='FontGlyphs100',
                                data_root=str(glyph_root), split='train'))
    test = FontGlyphs100(data_root=str(glyph_root), split='test')
    assert len(train) == 300 and len(test) == 200
    labels = [train.get_data_info(i)['gt_label'] for i in range(len(train))]
    assert np.bincount(labels).tolist() == [3] * 100
    image = test.get_data_info(0)['img']
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    # glyph on a background: not a flat image
    assert image.std() > 10
    assert train.metainfo['classes'] == FONT_GLYPHS_CLASSES


def test_same_seed_renders_the_same_bytes_and_a_rerun_reuses_them(
        glyph_root, tmp_path):
    folder = glyph_root / 'font-glyphs-100'
    before = (folder / 'train').stat().st_mtime_ns
    write_font_glyphs(glyph_root, 3, 2, 0.5, 7, [MPL_FONTS])
    assert (folder / 'train').stat().st_mtime_ns == before
    write_font_glyphs(tmp_path, 3, 2, 0.5, 7, [MPL_FONTS])
    for name in ('train', 'test', 'meta'):
        assert (tmp_path / 'font-glyphs-100' / name).read_bytes() == (
            folder / name).read_bytes()


def test_other_seed_renders_other_images(tmp_path, glyph_root):
    write_font_glyphs(tmp_path, 3, 2, 0.5, 8, [MPL_FONTS])
    new = pickle.loads((tmp_path / 'font-glyphs-100' / 'train').read_bytes())
    old = pickle.loads(
        (glyph_root / 'font-glyphs-100' / 'train').read_bytes())
    assert not np.array_equal(new['data'], old['data'])


def test_files_made_with_other_settings_are_not_overwritten(glyph_root):
    meta = glyph_root / 'font-glyphs-100' / 'meta'
    before = meta.read_bytes()
    with pytest.raises(FileExistsError, match='Remove the folder'):
        write_font_glyphs(glyph_root, 4, 2, 0.5, 7, [MPL_FONTS])
    assert meta.read_bytes() == before


def test_missing_files_name_the_command_that_writes_them(tmp_path):
    with pytest.raises(FileNotFoundError,
                       match='make_font_glyphs.py'):
        FontGlyphs100(data_root=str(tmp_path), split='train')


def test_download_is_refused_with_the_fix(tmp_path):
    with pytest.raises(ValueError, match='rendered locally'):
        FontGlyphs100(data_root=str(tmp_path), download=True)


def test_one_design_group_cannot_be_split():
    fonts = [f for f in find_fonts([MPL_FONTS]) if f.group == 'dejavu']
    with pytest.raises(ValueError, match='at least 2 design groups'):
        split_groups(fonts, 0.25, 0)


def test_tools_check_names_the_render_command_for_missing_data(tmp_path):
    from mmengine.config import Config

    from mcmi_razor.datasets import check_data_root
    cfg = Config.fromfile('configs/font_glyphs/kd_r20_r8.py')
    cfg.merge_from_dict({
        'train_dataloader.dataset.dataset.dataset.data_root': str(tmp_path),
        'val_dataloader.dataset.dataset.data_root': str(tmp_path),
        'test_dataloader.dataset.data_root': str(tmp_path)})
    with pytest.raises(FileNotFoundError) as error:
        check_data_root(cfg)
    assert f'make_font_glyphs.py {tmp_path}' in str(error.value)
