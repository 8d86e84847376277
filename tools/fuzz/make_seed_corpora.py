#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) and the torch.save test fixture
(tests/data/torch_save_ordereddict.bin): one small, valid example of each format SSM Lens reads, from which
libFuzzer mutates. Standard library only. The sentencepiece seeds are trained by
tools/fuzz/make_sentencepiece_seeds.sh (it needs libsentencepiece-dev and a compiler).

The torch.save file is written the way torch.save writes one: the same pickle protocol (2), the same
persistent ids ('storage', torch.FloatStorage, key, location, numel), the same rebuild call
(torch._utils._rebuild_tensor_v2) and an OrderedDict state dict carrying _metadata (set by BUILD), stored
uncompressed in a zip under "<name>/". Fake torch modules stand in for PyTorch, which the pickle only names.

    python3 tools/fuzz/make_seed_corpora.py
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# --- torch.save, emulated -------------------------------------------------------------------------------
torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils
STORAGE_FORMATS = {"FloatStorage": "<f", "BFloat16Storage": "<H", "LongStorage": "<q"}
for storage_name in STORAGE_FORMATS:
    cls = type(storage_name, (), {})
    cls.__module__ = "torch"
    setattr(torch, storage_name, cls)


def _rebuild_tensor_v2(*args):
    raise RuntimeError("only named by the pickle")


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, key, kind, values):
        self.key, self.kind, self.values = key, kind, values

    def data(self):
        fmt = STORAGE_FORMATS[self.kind]
        return b"".join(struct.pack(fmt, v) for v in self.values)


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, self.offset, tuple(self.size), tuple(self.stride), False,
                                     collections.OrderedDict()))


class StatePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", getattr(torch, obj.kind), obj.key, "cpu", len(obj.values))
        return None


def torch_save_bytes(archive_name="pytorch_model"):
    """A state dict as torch.save(model.state_dict()) writes it: views into shared storages included."""
    weights = Storage("0", "FloatStorage", [0.5, -1.25, 2.0, 3.5, -0.75, 8.0])
    bf16 = Storage("1", "BFloat16Storage", [0x3F80, 0xC000, 0x4040])  # 1.0, -2.0, 3.0
    steps = Storage("2", "LongStorage", [7])
    sd = collections.OrderedDict()
    sd["layer.weight"] = Tensor(weights, 0, [2, 3], [3, 1])
    sd["layer.weight_t"] = Tensor(weights, 0, [3, 2], [1, 3])  # a transposed view of the same storage
    sd["layer.tail"] = Tensor(weights, 4, [2], [1])             # an offset view
    sd["norm.weight"] = Tensor(bf16, 0, [3], [1])
    sd["num_batches_tracked"] = Tensor(steps, 0, [], [])
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("layer", {"version": 1})])
    pickled = io.BytesIO()
    StatePickler(pickled, protocol=2).dump(sd)
    out = io.BytesIO()
    def entry(name):  # a fixed date, so the seed is the same byte for byte on every run
        return zipfile.ZipInfo(archive_name + "/" + name, date_time=(2026, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(entry("data.pkl"), pickled.getvalue())
        z.writestr(entry("byteorder"), "little")
        for s in (weights, bf16, steps):
            z.writestr(entry("data/" + s.key), s.data())
        z.writestr(entry("version"), "3\n")
    return pickled.getvalue(), out.getvalue()


def safetensors_bytes(tensors, metadata=None):
    header, blob = {}, b""
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + blob


def npy_bytes(descr, shape, data):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d," % d for d in shape) if len(shape) == 1 else ", ".join(str(d) for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def byte_level_alphabet():
    """GPT-2's bytes_to_unicode: printable bytes as themselves, the rest shifted above U+0100."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars, n = list(keep), 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(keep, chars)}


def main():
    pickled, archive = torch_save_bytes()
    write("fuzz_torch_pickle", "state_dict_protocol2.pkl", pickled)
    write("fuzz_torch_bin", "state_dict_protocol2.bin", archive)
    with open(os.path.join(ROOT, "tests", "data", "torch_save_ordereddict.bin"), "wb") as f:
        f.write(archive)

    write("fuzz_safetensors", "two_tensors.safetensors", safetensors_bytes(
        {"backbone.norm_f.weight": ("F32", [2], struct.pack("<2f", 1.0, 0.5)),
         "backbone.embedding.weight": ("BF16", [2, 2], struct.pack("<4H", 0x3F80, 0, 0x4000, 0xBF80))},
        {"format": "pt"}))
    write("fuzz_safetensors", "empty_and_ints.safetensors", safetensors_bytes(
        {"empty": ("F16", [0, 4], b""), "ids": ("I64", [3], struct.pack("<3q", 1, 2, 3))}))

    write("fuzz_model_config", "state_spaces.json", json.dumps(
        {"d_model": 64, "n_layer": 2, "vocab_size": 50277, "pad_vocab_size_multiple": 16, "tie_embeddings": True,
         "ssm_cfg": {"layer": "Mamba2", "d_state": 16, "headdim": 16, "expand": 2, "ngroups": 1},
         "rms_norm": True}, indent=1))
    write("fuzz_model_config", "hugging_face.json",
          '{"model_type": "mamba2", "hidden_size": 64, "num_hidden_layers": 2, "state_size": 16, "head_dim": 16,\n'
          ' "num_heads": 8, "n_groups": 1, "expand": 2, "conv_kernel": 4, "chunk_size": 256, "vocab_size": 512,\n'
          ' "layer_norm_epsilon": 1e-05, "time_step_limit": [0.0, Infinity], "tie_word_embeddings": false}\n')

    write("fuzz_npy", "ids_int64.npy", npy_bytes("<i8", [4], struct.pack("<4q", 5, 6, 7, 8)))
    write("fuzz_npy", "logits_f32.npy", npy_bytes("<f4", [2, 3], struct.pack("<6f", *range(6))))

    alphabet = byte_level_alphabet()
    vocab = {alphabet[b]: b for b in range(256)}
    merges = [("h", "e"), ("l", "l"), ("he", "ll"), ("\u0120", "w"), ("o", "r")]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": len(vocab), "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True},
                         {"id": len(vocab) + 1, "content": "  ", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": False}],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "vocab": vocab,
                  "merges": [a + " " + b for a, b in merges]}}
    write("fuzz_tokenizer_json", "tiny_byte_level_bpe.json", json.dumps(tokenizer, ensure_ascii=False))

    schedule = {"format": "ssmlens-reduction-schedule", "version": 1, "method": "utr",
                "options": {"metric": "clip", "hidden": "hybrid", "residual": "merge", "granularity": "channel",
                            "protect_scoring_span": True},
                "anchors": [{"layer": 4, "keep_ratio": 0.905}, {"layer": 9, "keep_ratio": 0.8}]}
    write("fuzz_schedule_json", "two_anchors.json", json.dumps(schedule, indent=1))

    choice = {"context": "Q: a?\nA:", "continuation": " yes", "context_tokens": 5, "continuation_tokens": 1,
              "norm_length": 3.0,
              "dense": {"ll": -1.5, "greedy": True, "input_tokens": 6, "scored_tokens": 1},
              "flops": {"dense": 1e6, "reduced": 1e6, "token_reduction_pct": 0.0}}
    other = dict(choice, continuation=" no",
                 dense={"ll": -2.5, "greedy": False, "input_tokens": 6, "scored_tokens": 1})
    result = {"format": "ssmlens-eval-result", "version": 1, "task": "piqa", "source": "valid.jsonl",
              "model": {"dir": "demo", "n_layer": 12, "d_model": 256, "vocab_rows": 8192}, "schedule": None,
              "selection": {"limit": 2, "seed": None, "shard_index": 0, "shard_count": 1, "total_examples": 2},
              "max_length": 2048, "examples": [{"doc": 0, "gold": 0, "choices": [choice, other]},
                                               {"doc": 1, "gold": 1, "choices": [choice, other]}]}
    write("fuzz_eval_result", "piqa_two_examples.json", json.dumps(result, indent=1))

    # sweep --details: the dense result of each task and, per point, one column entry per choice (4 here).
    choices = 4
    point = {"method": "utr", "keep_ratio": 0.8, "schedule": schedule,
             "reduced": {"ll": [-1.6, -2.4, None, -2.6], "greedy": [True, False, True, False],
                         "input_tokens": [5, 5, 5, 5], "scored_tokens": [1, 1, 1, 1],
                         "scorable": [True, True, False, True], "measured_token_reduction_pct": [16.7] * choices,
                         "flops": [8e5] * choices, "token_reduction_pct": [16.7] * choices}}
    details = {"format": "ssmlens-sweep-details", "version": 1, "methods": ["utr"], "keep_ratios": [1, 0.8],
               "protect_scoring_span": True, "max_length": 2048,
               "selection": {"limit": 2, "seed": None, "shard_index": 0, "shard_count": 2},
               "tasks": [{"dense": result, "points": [point]}]}
    write("fuzz_sweep_details", "piqa_one_point.json", json.dumps(details, indent=1))

    session = {"format": "ssmlens-session", "version": 1,
               "model": {"folder": "/nonexistent/model", "dtype": "fp32", "device": "cpu"},
               "prompt": "The capital of France is", "schedule": schedule,
               "view": {"layer": 3, "token": 2, "similarity_threshold": 0.5}, "results": [result]}
    write("fuzz_session_file", "session.ssmlens-session", json.dumps(session, indent=1))

    write("fuzz_benchmark_files", "lambada.jsonl", b"\x00" + b'{"text": "He opened the door and saw the cat"}\n')
    write("fuzz_benchmark_files", "piqa.jsonl",
          b"\x01" + b'{"goal": "Boil water", "sol1": "Use a kettle.", "sol2": "Use a fridge.", "label": 0}\n')
    write("fuzz_benchmark_files", "hellaswag.jsonl", b"\x02" + json.dumps(
        {"activity_label": "Cooking", "ctx_a": "A man cuts onions.", "ctx_b": "he", "ctx": "",
         "endings": ["cries.", "flies.", "sings [title] loud.", "sleeps."], "label": 0}).encode() + b"\n")
    write("fuzz_benchmark_files", "arc.jsonl", b"\x03" + json.dumps(
        {"question": {"stem": "Which is a gas?", "choices": [{"text": "steam", "label": "A"},
                                                              {"text": "ice", "label": "B"}]},
         "answerKey": "A"}).encode() + b"\n")
    write("fuzz_benchmark_files", "winogrande.jsonl", b"\x05" + json.dumps(
        {"sentence": "The cup fell because _ was slippery.", "option1": "the cup", "option2": "the table",
         "answer": "1"}).encode() + b"\n")

    write("fuzz_json_document", "mixed.json",
          '{"a": [1, 2.5, -3e2, true, false, null, "x\\u00e9\\n"], "b": {"c": [[[]]], "d": {}}}')


if __name__ == "__main__":
    main()
