"""The demo's data step: Debian's gzipped IDX files -> data/fashion_mnist."""
import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mcmi_razor.utils.fashion_mnist_files import (
    FILES,
    is_prepared,
    prepare_fashion_mnist,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_debian_dir(tmp_path, fashion_mnist_fixture_root):
    """A folder laid out like /usr/share/datasets/fashion-mnist (fixture
    content)."""
    source = tmp_path / 'debian'
    source.mkdir()
    for stem in FILES:
        with open(fashion_mnist_fixture_root / stem, 'rb') as src, \
                gzip.open(source / f'{stem}.gz', 'wb') as dst:
            shutil.copyfileobj(src, dst)
    return source


def test_prepare_unzips_the_four_files_byte_for_byte(
        fake_debian_dir, fashion_mnist_fixture_root, tmp_path):
    target = tmp_path / 'data' / 'fashion_mnist'
    written = prepare_fashion_mnist(str(fake_debian_dir), str(target),
                                    expect_full=False)
    assert sorted(Path(p).name for p in written) == sorted(FILES)
    for stem in FILES:
        assert (target / stem).read_bytes() == \
            (fashion_mnist_fixture_root / stem).read_bytes()
    assert is_prepared(str(target), expect_full=False)
    assert not is_prepared(str(target))  # fixture is not the full set
    assert not list(target.glob('*.partial'))


def test_prepare_skips_files_already_there(fake_debian_dir, tmp_path):
    target = tmp_path / 'fm'
    prepare_fashion_mnist(str(fake_debian_dir), str(target),
                          expect_full=False)
    assert prepare_fashion_mnist(str(fake_debian_dir), str(target),
                                 expect_full=False) == []


def test_prepare_reports_missing_source_with_the_install_command(tmp_path):
    with pytest.raises(FileNotFoundError, match='apt-get install '
                       'dataset-fashion-mnist'):
        prepare_fashion_mnist(str(tmp_path / 'nowhere'), str(tmp_path / 't'))


def test_prepare_rejects_a_file_that_is_not_the_expected_idx(
        fake_debian_dir, tmp_path):
    labels = 'train-labels-idx1-ubyte'
    shutil.copy(fake_debian_dir / 't10k-images-idx3-ubyte.gz',
                fake_debian_dir / f'{labels}.gz')
    with pytest.raises(ValueError, match='not the Fashion-MNIST file'):
        prepare_fashion_mnist(str(fake_debian_dir), str(tmp_path / 't'),
                              expect_full=False)
    assert not (tmp_path / 't' / labels).exists()


def _demo(env, tmp_path):
    environment = dict(os.environ, DEMO_STOP_AFTER='data', **env)
    return subprocess.run(['bash', str(REPO / 'tools' / 'demo.sh')],
                          capture_output=True, text=True, env=environment,
                          timeout=300)


@pytest.mark.slow
def test_demo_data_step_prepares_a_fake_source_dir(fake_debian_dir,
                                                   tmp_path):
    import sys
    target = tmp_path / 'demo_data'
    result = _demo(dict(DEMO_PYTHON=sys.executable,
                        DEMO_FASHION_MNIST_SOURCE=str(fake_debian_dir),
                        DEMO_DATA_DIR=str(target),
                        DEMO_ALLOW_SMALL_DATA='1'), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert is_prepared(str(target), expect_full=False)
    assert 'stopped after the data step' in result.stdout
    again = _demo(dict(DEMO_PYTHON=sys.executable,
                       DEMO_FASHION_MNIST_SOURCE=str(fake_debian_dir),
                       DEMO_DATA_DIR=str(target)), tmp_path)
    assert 'already there: skipped' in again.stdout


@pytest.mark.slow
def test_demo_without_source_says_what_to_do_and_stops(tmp_path):
    import sys
    result = _demo(dict(DEMO_PYTHON=sys.executable,
                        DEMO_FASHION_MNIST_SOURCE=str(tmp_path / 'none'),
                        DEMO_DATA_DIR=str(tmp_path / 'data')), tmp_path)
    assert result.returncode == 1
    assert 'apt-get install dataset-fashion-mnist' in result.stderr
    assert 'DEMO_FASHION_MNIST_SOURCE=DIR' in result.stderr
