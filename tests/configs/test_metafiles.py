"""The model index lists every config once, as the configs say.

mim and OpenMMLab's tooling read ``mcmi_razor/.mim/model-index.yml`` and the
``metafile.yml`` of each config family. Every leaf config must be listed in
exactly one metafile, under its own path, with the recipe its ``# Built:``
lines state, and every family must have the README its metafile names.
"""
import re
from collections import Counter

import yaml

from .conftest import LEAF_CONFIGS, REPO

INDEX = yaml.safe_load(
    (REPO / 'mcmi_razor/.mim/model-index.yml').read_text())['Import']
METAFILES = {path: yaml.safe_load((REPO / path).read_text())
             for path in INDEX}


def test_every_metafile_of_the_repo_is_imported():
    on_disk = {str(p.relative_to(REPO))
               for p in (REPO / 'configs').rglob('metafile.yml')}
    assert on_disk == set(INDEX)


def test_every_leaf_config_is_listed_exactly_once():
    listed = Counter(model['Config'] for meta in METAFILES.values()
                     for model in meta['Models'])
    assert set(listed) == set(LEAF_CONFIGS), (
        f'unlisted: {sorted(set(LEAF_CONFIGS) - set(listed))}; '
        f'listed but missing: {sorted(set(listed) - set(LEAF_CONFIGS))}')
    assert max(listed.values()) == 1


def test_models_name_their_collection_recipe_and_readme():
    for path, meta in METAFILES.items():
        collections = {c['Name']: c for c in meta['Collections']}
        for collection in collections.values():
            assert (REPO / collection['README']).is_file(), path
        for model in meta['Models']:
            assert model['In Collection'] in collections, model['Name']
            text = (REPO / model['Config']).read_text()
            built = ' | '.join(re.findall(r'^# Built: (.*)$', text, re.M))
            assert model['Metadata'].get('Built') == (built or None), (
                f'{model["Config"]}: metafile and # Built: lines differ')
