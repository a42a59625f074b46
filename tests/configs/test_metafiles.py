"""The model index lists every config once, as the configs say.

mim and OpenMMLab's tooling read ``model-index.yml`` (in the package:
``mcmi_razor/.mim/model-index.yml``, a link to it) and the ``metafile.yml``
of each config family. A family is a directory with a metafile
(``configs/mcmi/``, ``configs/distill/kd/``, ...): every config under it
must be listed in that metafile, under its own path, with the recipe its
``# Built:`` lines state, and every family must have the README its
metafile names. The quick-start aliases at the top of ``configs/`` belong
to no family.
"""
import re
from collections import Counter
from pathlib import Path

import yaml

from .conftest import ALIASES, LEAF_CONFIGS, REPO

INDEX_FILE = REPO / 'model-index.yml'
INDEX = yaml.safe_load(INDEX_FILE.read_text())['Import']
METAFILES = {path: yaml.safe_load((REPO / path).read_text())
             for path in INDEX}


def family_of(config: str) -> str:
    """The metafile of the nearest directory above ``config`` that has
    one."""
    for folder in Path(config).parents:
        if (REPO / folder / 'metafile.yml').is_file():
            return str(folder / 'metafile.yml')
    return ''


def test_the_package_reads_the_same_model_index():
    packaged = REPO / 'mcmi_razor/.mim/model-index.yml'
    assert packaged.read_text() == INDEX_FILE.read_text()


def test_every_metafile_of_the_repo_is_imported():
    on_disk = {str(p.relative_to(REPO))
               for p in (REPO / 'configs').rglob('metafile.yml')}
    assert on_disk == set(INDEX)
    assert len(INDEX) == len(set(INDEX))


def test_every_listed_config_exists():
    for path, meta in METAFILES.items():
        for model in meta['Models']:
            assert (REPO / model['Config']).is_file(), (
                f'{path}: {model["Config"]} does not exist')


def test_every_config_of_a_family_is_listed_in_its_metafile():
    for config in LEAF_CONFIGS:
        if config in ALIASES:
            continue
        family = family_of(config)
        assert family, f'{config} is in no family (no metafile above it)'
        listed = {m['Config'] for m in METAFILES[family]['Models']}
        assert config in listed, f'{config} is not listed in {family}'


def test_every_leaf_config_is_listed_exactly_once():
    listed = Counter(model['Config'] for meta in METAFILES.values()
                     for model in meta['Models'])
    families = set(LEAF_CONFIGS) - set(ALIASES)
    assert set(listed) == families, (
        f'unlisted: {sorted(families - set(listed))}; '
        f'listed but missing: {sorted(set(listed) - families)}')
    assert max(listed.values()) == 1


def test_models_name_their_collection_recipe_and_readme():
    for path, meta in METAFILES.items():
        collections = {c['Name']: c for c in meta['Collections']}
        for collection in collections.values():
            assert (REPO / collection['README']).is_file(), path
        for model in meta['Models']:
            assert model['In Collection'] in collections, model['Name']
            assert family_of(model['Config']) == path, (
                f'{model["Config"]} is listed in {path}, not in its family')
            text = (REPO / model['Config']).read_text()
            built = ' | '.join(re.findall(r'^# Built: (.*)$', text, re.M))
            assert model['Metadata'].get('Built') == (built or None), (
                f'{model["Config"]}: metafile and # Built: lines differ')
