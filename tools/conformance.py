#!/usr/bin/env python3
"""conformance.py: does `ssmlens-cli logits` compute the Mamba-2 forward pass that
/work/shared/docs/mamba2.md defines, from checkpoints in both layouts?

What it measures
  For several small random Mamba-2 models (ngroups 1, 2 and 4; tied and separate heads; one with
  in/out projection biases and a finite time_step_limit) it
    1. builds the model with transformers (Mamba2Config + Mamba2ForCausalLM, torch.manual_seed, no
       download) and gives every parameter non-trivial random values,
    2. saves it in BOTH layouts our loader reads:
         hf/  config.json + model.safetensors          (save_pretrained, exactly as transformers writes it)
         ss/  config.json (d_model, ssm_cfg, ...) + pytorch_model.bin (torch.save of the state dict,
              backbone.embeddings -> backbone.embedding)
    3. computes reference logits for random ids (lengths include ones that are not multiples of the
       chunk size):
         (a) "recurrence": an independent per-timestep recurrence written below in fp64 straight from
             the definition in docs/mamba2.md (the definition; used for every case),
         (b) "hf": transformers' forward on the CPU in fp32, kept on its pure-PyTorch path (also when
             mamba_ssm / causal_conv1d are installed), only for ngroups == 1: for ngroups > 1 HF's
             fallback is not the definition (transformers 5.17 normalises y*silu(z) over all channels
             instead of per group; older versions also tiled groups over heads),
       and checks (a) against (b) for ngroups == 1, which validates the recurrence script itself (for
       ngroups > 1 it compares HF with the recurrence run with an ungrouped norm, for information),
    4. checks what save_pretrained wrote: tensor names, values, and config fields the loader reads;
       transformers 5 writes time_step_limit (0, inf) as [0.0, {"__float__": "Infinity"}] (older ones
       as a bare Infinity, which is not JSON); if our loader rejects the file as written, that is a
       failure, and the numbers are then taken from a strict-JSON copy (inf -> 1e30), marked "hf*",
    5. runs `ssmlens-cli logits --model DIR --ids ... --out X.npy --dtype D --device V` for both layouts,
       on cuda in fp32 and bf16 and on the cpu in fp32, and reports max |ours - ref| and that divided by
       max |ref| ("rel"), and the share of positions whose argmax agrees,
    6. runs `ssmlens-cli generate --greedy --json --dtype fp32 --device D` on each HF-layout model (for
       each device of --combos) and checks that every new token is (up to a near-tie allowance) the
       argmax of the reference logits (decode path: conv state + one-step recurrence).
  Exit status: 0 when every fp32 comparison has rel <= --tol (1e-4), the references agree, every CLI
  call succeeded and the generation check passed; 1 otherwise; 2 for a usage / environment problem.
  bf16 rows are informational (flagged WARN above --bf16-warn, default 5e-2).

How to rerun (from the repo root, after building the CLI; tools/gpu_run.sh does both):
    python3 tools/conformance.py --cli build-gpu/bin/ssmlens-cli --out $OUT/conformance.md
  Useful options: --lengths 1,37,64,100  --cases c1,c3  --combos cuda:fp32,cpu:fp32  --jobs 4
                  --skip-cli (only build/save models and check the references)  --keep --workdir DIR
                  --json FILE (all numbers, machine-readable)
  python3 tools/conformance.py --self-test   checks the pure-Python helpers (no torch needed).

Machine: Python 3.10+, PyTorch, numpy, transformers >= 4.44 (checked with 5.17), safetensors; a CUDA
GPU for the cuda rows (they are skipped with a note when torch sees no GPU). No internet needed. The
optional mamba_ssm / causal_conv1d kernels are detected and kept out of the HF reference.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_mamba2_common as common  # noqa: E402

# ----------------------------------------------------------------------------------------------
# The test models. V = rows of the embedding. ss_vocab = (vocab_size written to the state-spaces
# config, pad_vocab_size_multiple or None to leave the key out); the loader pads the former up to V.
# ----------------------------------------------------------------------------------------------
CASES = [
    dict(name="c1", hidden=64, layers=2, state=16, head_dim=16, groups=1, chunk=16, vocab=128, tied=True,
         ss_vocab=(123, 16), note="tied head; state-spaces vocab 123 padded to 128"),
    dict(name="c2", hidden=96, layers=3, state=16, head_dim=16, groups=1, chunk=8, vocab=160, tied=False,
         ss_vocab=(160, 16), note="separate head, 3 layers, chunk 8"),
    dict(name="c3", hidden=64, layers=2, state=16, head_dim=16, groups=2, chunk=16, vocab=128, tied=False,
         ss_vocab=(128, None), note="ngroups 2 (4 heads per group); ss config without pad_vocab_size_multiple"),
    dict(name="c4", hidden=128, layers=2, state=8, head_dim=32, groups=4, chunk=32, vocab=256, tied=True,
         ss_vocab=(256, 16), note="ngroups 4 (2 heads per group), head_dim 32, tied"),
    dict(name="c5", hidden=64, layers=2, state=32, head_dim=8, groups=1, chunk=16, vocab=128, tied=False,
         ss_vocab=(128, 16), use_bias=True, dt_limit=(0.002, 0.05),
         note="in_proj/out_proj biases, finite time_step_limit (0.002, 0.05), 16 heads of 8"),
]

# The Hugging Face fields our loader (core/model/ModelConfig.cpp, parseHuggingFace) reads, with the
# default it assumes when a field is missing. Used only to warn when save_pretrained left a field out
# and the loader's default differs from the value the model was built with.
LOADER_HF_DEFAULTS = {
    "hidden_size": 2048, "num_hidden_layers": 48, "state_size": 128, "head_dim": 64, "n_groups": 1,
    "chunk_size": 256, "expand": 2, "conv_kernel": 4, "layer_norm_epsilon": 1e-5, "use_bias": False,
    "use_conv_bias": True, "vocab_size": 32768, "tie_word_embeddings": False,
}

DTYPES = ("fp32", "bf16", "fp16")
DEVICES = ("cuda", "cpu")


def case_dims(case):
    d_inner = 2 * case["hidden"]
    heads = d_inner // case["head_dim"]
    conv_dim = d_inner + 2 * case["groups"] * case["state"]
    return dict(d_inner=d_inner, heads=heads, conv_dim=conv_dim, in_proj=d_inner + conv_dim + heads)


def case_param_count(case):
    d = case_dims(case)
    D, V = case["hidden"], case["vocab"]
    bias = case.get("use_bias", False)
    per_layer = (D + d["in_proj"] * D + (d["in_proj"] if bias else 0) + d["conv_dim"] * 4 + d["conv_dim"]
                 + 3 * d["heads"] + d["d_inner"] + d["d_inner"] * D + (D if bias else 0))
    return V * D * (1 if case["tied"] else 2) + case["layers"] * per_layer + D


def ss_config(case):
    """config.json of the state-spaces (mamba_ssm) layout for a case."""
    ssm = {"layer": "Mamba2", "d_state": case["state"], "headdim": case["head_dim"], "ngroups": case["groups"],
           "chunk_size": case["chunk"], "expand": 2, "d_conv": 4}
    if case.get("use_bias"):
        ssm["bias"] = True
    lo, hi = case.get("dt_limit", (0.0, math.inf))
    if lo > 0.0 or math.isfinite(hi):
        ssm["dt_limit"] = [lo, hi]
    vocab, pad = case["ss_vocab"]
    cfg = {"d_model": case["hidden"], "d_intermediate": 0, "n_layer": case["layers"], "vocab_size": vocab,
           "ssm_cfg": ssm, "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": True, "residual_in_fp32": True,
           "fused_add_norm": True, "tie_embeddings": case["tied"]}
    if pad is not None:
        cfg["pad_vocab_size_multiple"] = pad
    return cfg


def ss_padded_vocab(case):
    vocab, pad = case["ss_vocab"]
    pad = 8 if pad is None else pad  # mamba_ssm's MambaConfig default, also our loader's
    return (vocab + pad - 1) // pad * pad


def parse_combos(text):
    out = []
    for item in common.parse_str_list(text):
        if ":" not in item:
            raise ValueError("combo %r is not DEVICE:DTYPE (e.g. cuda:fp32)" % item)
        dev, dt = item.split(":", 1)
        if dev not in DEVICES or dt not in DTYPES:
            raise ValueError("combo %r: device must be one of %s and dtype one of %s" % (item, DEVICES, DTYPES))
        out.append((dev, dt))
    return out


def loader_default_warnings(cfg, case):
    """Fields the loader reads that are missing from the saved HF config.json while the loader's
    default differs from what the model has."""
    d = case_dims(case)
    actual = {"hidden_size": case["hidden"], "num_hidden_layers": case["layers"], "state_size": case["state"],
              "head_dim": case["head_dim"], "n_groups": case["groups"], "chunk_size": case["chunk"], "expand": 2,
              "conv_kernel": 4, "layer_norm_epsilon": 1e-5, "use_bias": bool(case.get("use_bias", False)),
              "use_conv_bias": True, "vocab_size": case["vocab"], "tie_word_embeddings": case["tied"]}
    warnings = []
    for key, default in LOADER_HF_DEFAULTS.items():
        if key not in cfg and actual[key] != default:
            warnings.append("%s missing (loader would assume %r, model has %r)" % (key, default, actual[key]))
        elif key in cfg and cfg[key] != actual[key] and not (isinstance(actual[key], float)
                                                            and abs(cfg[key] - actual[key]) < 1e-12):
            warnings.append("%s = %r in config.json, model built with %r" % (key, cfg[key], actual[key]))
    if cfg.get("num_heads") not in (None, d["heads"]):
        warnings.append("num_heads = %r, expected %d" % (cfg.get("num_heads"), d["heads"]))
    return warnings


def parse_generate_stdout(text):
    """The CLI prints {"ids": [...], "text": ...}; tolerate log lines around it."""
    text = text.strip()
    try:
        obj = json.loads(text)
        if isinstance(obj, dict) and "ids" in obj:
            return obj
    except ValueError:
        pass
    # the last line (or block starting at a line) that parses as an object with "ids"
    lines = text.splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if not lines[start].lstrip().startswith("{"):
            continue
        try:
            obj = json.loads("\n".join(lines[start:]))
        except ValueError:
            continue
        if isinstance(obj, dict) and "ids" in obj:
            return obj
    raise ValueError("no JSON object with \"ids\" in the CLI output")


def tail(text, n=1500):
    text = text or ""
    return text if len(text) <= n else "..." + text[-n:]


# ----------------------------------------------------------------------------------------------
# torch parts
# ----------------------------------------------------------------------------------------------

def init_parameters(model, case, seed, torch):
    """Non-trivial random values for every parameter (HF's init leaves norms at 1, D at 1, ...).
    Returns a list of warnings (unknown parameter names)."""
    g = torch.Generator().manual_seed(seed)
    D = case["hidden"]
    d_inner = case_dims(case)["d_inner"]

    def randn(shape):
        return torch.randn(shape, generator=g, dtype=torch.float64)

    def rand(shape):
        return torch.rand(shape, generator=g, dtype=torch.float64)

    warnings = []
    sd = model.state_dict(keep_vars=True)
    for name, t in sd.items():
        if name == "lm_head.weight" and case["tied"]:
            continue  # set from the embedding below
        shape = tuple(t.shape)
        if name.endswith("embeddings.weight") or name.endswith("embedding.weight"):
            v = randn(shape)
        elif name == "lm_head.weight":
            v = randn(shape) / math.sqrt(D)
        elif name.endswith("norm.weight") or name.endswith("norm_f.weight"):
            v = 0.5 + rand(shape)  # layer norms, final norm, the mixer's gated norm
        elif name.endswith("in_proj.weight"):
            v = randn(shape) / math.sqrt(D)
        elif name.endswith("out_proj.weight"):
            v = randn(shape) / math.sqrt(d_inner)
        elif name.endswith("in_proj.bias") or name.endswith("out_proj.bias"):
            v = 0.1 * randn(shape)
        elif name.endswith("conv1d.weight"):
            v = 0.4 * randn(shape)
        elif name.endswith("conv1d.bias"):
            v = 0.2 * randn(shape)
        elif name.endswith("dt_bias"):
            # softplus(dt_bias) log-uniform in [1e-3, 0.5]; in_proj adds ~N(0,1) on top per token
            dt0 = torch.exp(math.log(1e-3) + rand(shape) * (math.log(0.5) - math.log(1e-3)))
            v = dt0 + torch.log(-torch.expm1(-dt0))  # inverse softplus
        elif name.endswith("A_log"):
            v = torch.log(0.5 + 9.5 * rand(shape))  # A in [-10, -0.5]
        elif name.endswith(".D") or name.endswith("mixer.D"):
            v = 1.0 + 0.5 * randn(shape)
        else:
            warnings.append("parameter %s %s has no init rule; kept transformers' init" % (name, shape))
            continue
        with torch.no_grad():
            t.data.copy_(v.to(t.dtype))
    if case["tied"] and "lm_head.weight" in sd:
        emb_name = [n for n in sd if n.endswith("embeddings.weight") or n.endswith("embedding.weight")][0]
        emb, head = sd[emb_name], sd["lm_head.weight"]
        if head.data_ptr() != emb.data_ptr():
            warnings.append("tied case: lm_head.weight does not share storage with %s; copied the values" % emb_name)
            with torch.no_grad():
                head.data.copy_(emb.data)
    for name, t in model.state_dict().items():
        if not torch.isfinite(t).all():
            raise RuntimeError("parameter %s is not finite after initialisation" % name)
    return warnings


def normalized_weights(model, torch):
    """fp64 CPU copies of the weights under the HF names (backbone.embeddings.weight, ...)."""
    W = {}
    for name, t in model.state_dict().items():
        if name == "backbone.embedding.weight":
            name = "backbone.embeddings.weight"
        W[name] = t.detach().to(device="cpu", dtype=torch.float64).clone()
    return W


def reference_logits(W, case, ids, torch, norm_groups=None):
    """The plain per-timestep recurrence of docs/mamba2.md in fp64. ids: list of ints. -> [L, V].
    norm_groups: groups of the gated RMSNorm (default: ngroups, the definition); 1 gives the ungrouped norm
    that transformers' fallback uses, only to cross-check the rest of this function when ngroups > 1."""
    F = torch.nn.functional
    f64 = torch.float64
    d = case_dims(case)
    Di, H, P, G, N = d["d_inner"], d["heads"], case["head_dim"], case["groups"], case["state"]
    conv_dim = d["conv_dim"]
    eps = 1e-5
    lo, hi = case.get("dt_limit", (0.0, math.inf))

    def rmsnorm(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w

    ids_t = torch.as_tensor(list(ids), dtype=torch.long)
    emb = W["backbone.embeddings.weight"]
    L = ids_t.numel()
    resid = emb[ids_t].clone()  # residual stream r
    h = None
    head_group = torch.arange(H) // (H // G)  # head j uses group j // (H/G)
    for i in range(case["layers"]):
        p = "backbone.layers.%d." % i
        if h is not None:
            resid = resid + h
        u = rmsnorm(resid, W[p + "norm.weight"])
        proj = u @ W[p + "mixer.in_proj.weight"].T
        if p + "mixer.in_proj.bias" in W:
            proj = proj + W[p + "mixer.in_proj.bias"]
        if proj.shape[1] != Di + conv_dim + H:
            raise RuntimeError("in_proj has %d outputs, expected %d" % (proj.shape[1], Di + conv_dim + H))
        z = proj[:, :Di]
        xbc = proj[:, Di:Di + conv_dim]
        dt = proj[:, Di + conv_dim:]
        # causal depthwise conv, left-padded with zeros: out[t] = b + sum_k w[k] * in[t - (K-1) + k]
        cw = W[p + "mixer.conv1d.weight"]  # (conv_dim, 1, K)
        K = cw.shape[-1]
        xpad = torch.cat([torch.zeros(K - 1, conv_dim, dtype=f64), xbc], dim=0)
        conv = torch.zeros(L, conv_dim, dtype=f64)
        for k in range(K):
            conv = conv + cw[:, 0, k] * xpad[k:k + L]
        if p + "mixer.conv1d.bias" in W:
            conv = conv + W[p + "mixer.conv1d.bias"]
        xbc = F.silu(conv)
        x = xbc[:, :Di].reshape(L, H, P)
        B = xbc[:, Di:Di + G * N].reshape(L, G, N)
        C = xbc[:, Di + G * N:].reshape(L, G, N)
        dt = F.softplus(dt + W[p + "mixer.dt_bias"])
        if lo > 0.0 or math.isfinite(hi):
            dt = dt.clamp(min=lo, max=hi)
        A = -torch.exp(W[p + "mixer.A_log"])
        Dskip = W[p + "mixer.D"]
        Dskip = Dskip.reshape(H, P) if Dskip.numel() == Di else Dskip.reshape(H, 1)
        state = torch.zeros(H, P, N, dtype=f64)
        y = torch.empty(L, H, P, dtype=f64)
        for t in range(L):
            Bt = B[t][head_group]  # (H, N)
            Ct = C[t][head_group]
            decay = torch.exp(dt[t] * A)  # (H,)
            state = decay[:, None, None] * state + (dt[t][:, None] * x[t])[:, :, None] * Bt[:, None, :]
            y[t] = torch.einsum("hpn,hn->hp", state, Ct) + Dskip * x[t]
        y = y.reshape(L, Di) * F.silu(z)
        NG = G if norm_groups is None else norm_groups
        yg = y.reshape(L, NG, Di // NG)
        yg = yg * torch.rsqrt(yg.pow(2).mean(-1, keepdim=True) + eps)
        y = yg.reshape(L, Di) * W[p + "mixer.norm.weight"]
        h = y @ W[p + "mixer.out_proj.weight"].T
        if p + "mixer.out_proj.bias" in W:
            h = h + W[p + "mixer.out_proj.bias"]
    final = rmsnorm(resid + h, W["backbone.norm_f.weight"])
    head = W["backbone.embeddings.weight"] if case["tied"] else W.get("lm_head.weight")
    if head is None:
        raise RuntimeError("separate head expected but lm_head.weight is missing")
    return final @ head.T


def hf_logits(model, ids, torch):
    with torch.no_grad():
        inp = torch.as_tensor([list(ids)], dtype=torch.long)
        out = model(input_ids=inp, use_cache=False)
        logits = out.logits if hasattr(out, "logits") else out[0]
        return logits[0].to(torch.float64).cpu()


def compare(ours, ref, np):
    """ours, ref: numpy float arrays [L, V]."""
    ours64 = ours.astype(np.float64)
    finite = bool(np.isfinite(ours64).all())
    diff = np.abs(ours64 - ref)
    max_abs = float(np.nanmax(diff)) if diff.size else 0.0
    if not finite:
        max_abs = float("inf")
    ref_max = float(np.max(np.abs(ref))) if ref.size else 0.0
    rel = max_abs / ref_max if ref_max > 0 else max_abs
    top1 = float(np.mean(np.argmax(ours64, axis=-1) == np.argmax(ref, axis=-1))) if ref.size else 1.0
    return dict(max_abs=max_abs, ref_max=ref_max, rel=rel, top1=top1, finite=finite)


# ----------------------------------------------------------------------------------------------
# the CLI
# ----------------------------------------------------------------------------------------------

def run_cli(argv, timeout):
    t0 = time.time()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        return dict(rc=r.returncode, stdout=r.stdout, stderr=r.stderr, seconds=time.time() - t0)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return dict(rc=124, stdout=out, stderr=err + "\n(timed out after %ds)" % timeout, seconds=time.time() - t0)
    except OSError as e:
        return dict(rc=127, stdout="", stderr="cannot run %s: %s" % (argv[0], e), seconds=time.time() - t0)


def self_test():
    """Checks of the pure-Python helpers; runs without torch/numpy."""
    ok = True

    def check(cond, what):
        nonlocal ok
        print(("ok   " if cond else "FAIL ") + what)
        ok = ok and cond

    check(common.parse_int_list("1, 37,100") == [1, 37, 100], "parse_int_list")
    check(parse_combos("cuda:fp32,cpu:fp32") == [("cuda", "fp32"), ("cpu", "fp32")], "parse_combos")
    try:
        parse_combos("gpu:fp32")
        check(False, "parse_combos rejects gpu")
    except ValueError:
        check(True, "parse_combos rejects gpu")
    v, seen = common.json_load_lenient('{"time_step_limit": [0.0, {"__float__": "Infinity"}]}')
    check(v["time_step_limit"][1] == math.inf and seen, "lenient json: transformers 5 sentinel")
    v, seen = common.json_load_lenient('{"time_step_limit": [0.0, Infinity]}')
    check(v["time_step_limit"][1] == math.inf and seen == ["bare Infinity"], "lenient json: bare Infinity")
    v, seen = common.json_load_lenient('{"time_step_limit": [0.0, 0.1]}')
    check(v["time_step_limit"] == [0.0, 0.1] and not seen, "lenient json: finite")
    check(common.replace_nonfinite({"a": [0.0, math.inf]}) == {"a": [0.0, 1e30]}, "replace_nonfinite")
    check(json.dumps(common.replace_nonfinite({"a": [0.0, math.inf]}), allow_nan=False) is not None, "strict dump")
    t = common.md_table(["a", "b"], [[1, "x|y"], [22, None]])
    check(t.splitlines()[0].startswith("| a ") and "x\\|y" in t and len(t.splitlines()) == 4, "md_table")
    for c in CASES:
        d = case_dims(c)
        check(d["heads"] % c["groups"] == 0 and (2 * c["hidden"]) % c["head_dim"] == 0, "case %s shapes" % c["name"])
        check(ss_padded_vocab(c) == c["vocab"], "case %s state-spaces vocab pads to %d" % (c["name"], c["vocab"]))
        s = ss_config(c)
        check(s["ssm_cfg"]["layer"] == "Mamba2" and s["d_model"] == c["hidden"], "case %s ss config" % c["name"])
        check(json.dumps(s, allow_nan=False) is not None, "case %s ss config is strict JSON" % c["name"])
    hf_cfg = {"hidden_size": 64, "num_hidden_layers": 2, "state_size": 16, "head_dim": 16, "n_groups": 1,
              "chunk_size": 16, "expand": 2, "conv_kernel": 4, "layer_norm_epsilon": 1e-5, "use_bias": False,
              "use_conv_bias": True, "vocab_size": 128, "tie_word_embeddings": True, "num_heads": 8}
    check(loader_default_warnings(hf_cfg, CASES[0]) == [], "loader_default_warnings: complete config")
    del hf_cfg["n_groups"]
    check(loader_default_warnings(hf_cfg, CASES[0]) == [], "loader_default_warnings: n_groups 1 may be omitted")
    del hf_cfg["hidden_size"]
    check(len(loader_default_warnings(hf_cfg, CASES[0])) == 1, "loader_default_warnings: hidden_size missing")
    g = parse_generate_stdout('loading...\n{"ids": [1, 2, 3], "text": "abc"}\n')
    check(g["ids"] == [1, 2, 3], "parse_generate_stdout with a log line")
    g = parse_generate_stdout('{\n  "ids": [4],\n  "text": ""\n}')
    check(g["ids"] == [4], "parse_generate_stdout multi-line")
    check(case_param_count(CASES[0]) > 0, "param count")
    print("self-test: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=common.DEFAULT_CLI, help="path of ssmlens-cli (default %(default)s)")
    ap.add_argument("--out", help="also write the Markdown report to this file")
    ap.add_argument("--json", help="write all numbers as JSON to this file")
    ap.add_argument("--lengths", default="1,37,64,100", help="sequence lengths (default %(default)s)")
    ap.add_argument("--cases", default="all", help="comma list of case names (c1..c5) or 'all'")
    ap.add_argument("--combos", default="cuda:fp32,cuda:bf16,cpu:fp32",
                    help="DEVICE:DTYPE list for the CLI runs (default %(default)s)")
    ap.add_argument("--layouts", default="hf,ss", help="checkpoint layouts to test (default %(default)s)")
    ap.add_argument("--tol", type=float, default=1e-4, help="fp32 max rel difference allowed (default %(default)s)")
    ap.add_argument("--bf16-warn", type=float, default=5e-2,
                    help="bf16/fp16 rel difference above which a row says WARN (never fails; default %(default)s)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--jobs", type=int, default=4, help="CLI processes at a time (default %(default)s)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per CLI call (default %(default)s)")
    ap.add_argument("--ids-via", choices=["comma", "npy"], default="comma",
                    help="pass --ids as a comma list or as an int64 .npy file (default %(default)s)")
    ap.add_argument("--gen-prompt", type=int, default=21, help="prompt length of the generation check")
    ap.add_argument("--gen-tokens", type=int, default=24, help="new tokens in the generation check")
    ap.add_argument("--gen-tie", type=float, default=1e-3,
                    help="a generated token passes if its reference logit is within gen-tie*max|ref| of the max")
    ap.add_argument("--skip-generate", action="store_true", help="skip the generation check")
    ap.add_argument("--skip-cli", action="store_true",
                    help="only build and save the models and check the references (no CLI needed)")
    ap.add_argument("--workdir", help="where the model folders go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the model folders")
    ap.add_argument("--self-test", action="store_true", help="check the pure-Python helpers and exit")
    args = ap.parse_args()

    if args.self_test:
        return self_test()

    common.setup_offline_env()
    try:
        lengths = common.parse_int_list(args.lengths)
        combos = parse_combos(args.combos)
        layouts = common.parse_str_list(args.layouts)
        if any(l not in ("hf", "ss") for l in layouts):
            raise ValueError("--layouts takes hf and/or ss")
        if any(L < 1 for L in lengths):
            raise ValueError("lengths must be >= 1")
        if args.cases == "all":
            cases = list(CASES)
        else:
            names = common.parse_str_list(args.cases)
            unknown = [n for n in names if n not in [c["name"] for c in CASES]]
            if unknown:
                raise ValueError("unknown case(s) %s; known: %s" % (unknown, [c["name"] for c in CASES]))
            cases = [c for c in CASES if c["name"] in names]
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2

    try:
        import numpy as np
        import torch
    except ImportError as e:
        print("error: this tool needs torch and numpy (%s)" % e, file=sys.stderr)
        return 2
    try:
        Mamba2Config, Mamba2ForCausalLM, modeling = common.import_hf_mamba2()
    except ImportError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2

    cli = os.path.abspath(args.cli)
    if not args.skip_cli and not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print("error: %s is not an executable file (build it first: tools/gpu_run.sh, or pass --cli; "
              "--skip-cli checks only the references)" % cli, file=sys.stderr)
        return 2

    notes = []
    if any(dev == "cuda" for dev, _ in combos) and not torch.cuda.is_available():
        notes.append("torch sees no CUDA device: the cuda rows are skipped")
        combos = [c for c in combos if c[0] != "cuda"]
    # fp32 references: no TF32 anywhere
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False

    probe = common.kernel_probe()
    hf_structure = common.hf_mamba2_structure(modeling)
    path_before = common.hf_path_description(modeling)
    changed = common.hf_force_torch_path(modeling)
    path_after = common.hf_path_description(modeling)

    report = []
    report += common.run_header("SSM Lens conformance: ssmlens-cli logits vs the Mamba-2 definition", [
        "CLI: `%s`%s" % (cli, " (not run: --skip-cli)" if args.skip_cli else ""),
        "HF reference: transformers on the CPU in fp32, kept on its pure-PyTorch path. As imported: %s. "
        "Changes: %s. Now: %s." % (path_before, "; ".join(changed) or "none needed", path_after),
        "lengths %s; combos %s; layouts %s; fp32 tolerance rel <= %g" % (
            lengths, ", ".join("%s:%s" % c for c in combos), layouts, args.tol),
    ] + notes)
    if probe.get("mamba_ssm") or probe.get("causal_conv1d"):
        report.append("Note: mamba_ssm/causal_conv1d are importable here; the HF reference was kept off them "
                      "(see the changes above; it also runs on the CPU, where those kernels do not apply).")
        report.append("")

    report.append("## Cases")
    report.append("")
    rows = []
    for c in cases:
        d = case_dims(c)
        lim = c.get("dt_limit", (0.0, math.inf))
        rows.append([c["name"], c["hidden"], c["layers"], d["heads"], c["head_dim"], c["state"], c["groups"],
                     c["chunk"], c["vocab"], "tied" if c["tied"] else "separate",
                     "yes" if c.get("use_bias") else "no", "(%g, %g)" % lim, case_param_count(c), c["note"]])
    report.append(common.md_table(["case", "d_model", "layers", "heads", "head_dim", "d_state", "ngroups", "chunk",
                                   "vocab", "head", "proj bias", "dt limit", "params", "what it exercises"], rows))
    report.append("")

    own_tmp = args.workdir is None
    workdir = args.workdir or tempfile.mkdtemp(prefix="ssmlens-conformance-")
    os.makedirs(workdir, exist_ok=True)
    print("model folders under %s" % workdir, file=sys.stderr)

    failures = []   # strings; any -> exit 1
    results = {"cases": {}, "runs": [], "reference_check": [], "generate": [], "failures": failures}
    file_rows = []
    refcheck_rows = []
    built = {}      # name -> dict(dirs, W, refs)

    # ------------------------------------------------------------------ build, save, references
    for ci, case in enumerate(cases):
        name = case["name"]
        seed = args.seed + 101 * ci
        t0 = time.time()
        torch.manual_seed(seed)
        cfg = common.make_hf_config(Mamba2Config, hidden=case["hidden"], layers=case["layers"], state=case["state"],
                                    head_dim=case["head_dim"], groups=case["groups"], chunk=case["chunk"],
                                    vocab=case["vocab"], tied=case["tied"], use_bias=bool(case.get("use_bias")),
                                    time_step_limit=case.get("dt_limit", (0.0, float("inf"))))
        model = Mamba2ForCausalLM(cfg).to(dtype=torch.float32, device="cpu").eval()
        init_warnings = init_parameters(model, case, seed + 7, torch)
        patched = common.hf_patch_mixers_torch_forward(model, modeling)
        if hf_structure == "mixer-methods" and patched != case["layers"]:
            init_warnings.append("patched %d mixers to torch_forward, expected %d" % (patched, case["layers"]))

        case_dir = os.path.join(workdir, name)
        hf_dir = os.path.join(case_dir, "hf")
        ss_dir = os.path.join(case_dir, "ss")
        for dd in (hf_dir, ss_dir):
            if os.path.isdir(dd):
                shutil.rmtree(dd)
            os.makedirs(dd)
        common.hf_save_pretrained(model, hf_dir)

        # state-spaces layout: our own config.json + torch.save of the renamed state dict
        with open(os.path.join(ss_dir, "config.json"), "w") as f:
            json.dump(ss_config(case), f, indent=2, allow_nan=False)
        sd = model.state_dict()
        ss_sd = {}
        for k, v in sd.items():
            k2 = "backbone.embedding.weight" if k == "backbone.embeddings.weight" else k
            ss_sd[k2] = v.detach().cpu().contiguous()
        torch.save(ss_sd, os.path.join(ss_dir, "pytorch_model.bin"))

        # what did save_pretrained write?
        file_notes = list(init_warnings)
        cfg_path = os.path.join(hf_dir, "config.json")
        with open(cfg_path) as f:
            raw_cfg = f.read()
        saved_cfg, spellings = common.json_load_lenient(raw_cfg)
        tsl = saved_cfg.get("time_step_limit", "(absent)")
        tsl_text = "absent"
        if "time_step_limit" in saved_cfg:
            # show the raw spelling, it is what the C++ JSON parser sees
            i = raw_cfg.find('"time_step_limit"')
            j = raw_cfg.find("]", i)
            tsl_text = " ".join(raw_cfg[i:j + 1].split()) if i >= 0 and j > i else repr(tsl)
        if saved_cfg.get("model_type") != "mamba2":
            file_notes.append("config.json model_type is %r" % saved_cfg.get("model_type"))
        file_notes += ["config.json: " + w for w in loader_default_warnings(saved_cfg, case)]
        strict_dir = None
        if spellings:
            # a strict-JSON copy (inf -> 1e30) to fall back on if our loader rejects the raw file
            strict_dir = os.path.join(case_dir, "hf-strictjson")
            if os.path.isdir(strict_dir):
                shutil.rmtree(strict_dir)
            shutil.copytree(hf_dir, strict_dir)
            with open(os.path.join(strict_dir, "config.json"), "w") as f:
                json.dump(common.replace_nonfinite(saved_cfg), f, indent=2, allow_nan=False)
        st_files = sorted(fn for fn in os.listdir(hf_dir) if fn.endswith(".safetensors"))
        st_keys = set()
        for fn in st_files:
            st_keys |= {k for k in common.safetensors_header(os.path.join(hf_dir, fn)) if k != "__metadata__"}
        expected = set(sd.keys())
        missing = sorted(expected - st_keys)
        extra = sorted(st_keys - expected)
        if missing and not (case["tied"] and missing == ["lm_head.weight"]):
            file_notes.append("safetensors lacks %s" % missing)
        if extra:
            file_notes.append("safetensors has unexpected tensors %s" % extra)
        # the stored values are the in-memory ones
        try:
            from safetensors.torch import load_file
            for fn in st_files:
                for k, v in load_file(os.path.join(hf_dir, fn)).items():
                    if k in sd and not torch.equal(v.to(sd[k].dtype), sd[k].cpu()):
                        file_notes.append("safetensors %s differs from the model's tensor" % k)
        except ImportError:
            file_notes.append("safetensors package missing: stored values not re-checked")
        file_rows.append([name, ", ".join(st_files) or "(none!)", len(st_keys),
                          "absent (tied)" if "lm_head.weight" not in st_keys else "stored",
                          tsl_text, "; ".join(file_notes) or "ok"])
        if not st_files:
            failures.append("%s: save_pretrained wrote no .safetensors file" % name)

        # references
        W = normalized_weights(model, torch)
        id_hi = min(case["vocab"], case["ss_vocab"][0])
        refs = {}
        for L in lengths:
            g = torch.Generator().manual_seed(seed * 1000 + L)
            ids = torch.randint(0, id_hi, (L,), generator=g).tolist()
            ref = reference_logits(W, case, ids, torch).numpy()
            hf = None
            hf_err = None
            try:
                hf = hf_logits(model, ids, torch).numpy()
            except Exception as e:  # report, do not die: the recurrence is the definition
                hf_err = "%s: %s" % (type(e).__name__, e)
            refs[L] = dict(ids=ids, recurrence=ref, hf=hf if case["groups"] == 1 else None)
            if hf is not None:
                st = compare(hf, ref, np)
                if case["groups"] == 1:
                    status = "PASS" if st["rel"] <= args.tol else "FAIL"
                    if status == "FAIL":
                        failures.append("%s L=%d: the fp64 recurrence and HF's forward disagree (rel %.2e): "
                                        "the reference itself is in doubt" % (name, L, st["rel"]))
                else:
                    # HF's fallback normalises y*silu(z) over all Di channels, the definition per group; compare
                    # HF with the recurrence run with that ungrouped norm to check everything else (notably
                    # head j -> group j // (H/G)).
                    st_def = st
                    st = compare(hf, reference_logits(W, case, ids, torch, norm_groups=1).numpy(), np)
                    if st["rel"] <= args.tol:
                        status = ("info: agrees with the recurrence run with an ungrouped gated norm (checks the "
                                  "head->group mapping); vs the definition rel %s" % common.fmt_sci(st_def["rel"]))
                    else:
                        status = ("info: MISMATCH even with an ungrouped norm (older transformers tile groups over "
                                  "heads); vs the definition rel %s" % common.fmt_sci(st_def["rel"]))
                refcheck_rows.append([name, case["groups"], L, common.fmt_sci(st["max_abs"]),
                                      common.fmt_sci(st["ref_max"]), common.fmt_sci(st["rel"]),
                                      "%.3f" % st["top1"], status])
                results["reference_check"].append(dict(case=name, groups=case["groups"], length=L, status=status, **st))
            else:
                status = "FAIL" if case["groups"] == 1 else "info"
                if case["groups"] == 1:
                    failures.append("%s L=%d: HF forward failed: %s" % (name, L, hf_err))
                refcheck_rows.append([name, case["groups"], L, "-", "-", "-", "-", "%s (HF error: %s)" % (status, hf_err)])
        built[name] = dict(case=case, dirs={"hf": hf_dir, "ss": ss_dir}, strict_dir=strict_dir,
                           spellings=spellings, W=W, refs=refs)
        results["cases"][name] = dict(case={k: v for k, v in case.items()}, hf_dir=hf_dir, ss_dir=ss_dir,
                                      time_step_limit_spelling=tsl_text, file_notes=file_notes)
        print("built %s in %.1fs" % (name, time.time() - t0), file=sys.stderr)
        del model

    report.append("## Checkpoint files written")
    report.append("")
    report.append(common.md_table(["case", "HF weights", "tensors", "lm_head in HF file",
                                   "time_step_limit as written", "notes"], file_rows))
    report.append("")
    report.append("## Reference self-check: fp64 recurrence vs transformers (fp32, CPU, pure-PyTorch path)")
    report.append("")
    report.append("ngroups 1 must agree (this validates the recurrence written in this script). For ngroups > 1 "
                  "transformers' fallback is not the definition (its gated RMSNorm is not grouped), so those rows "
                  "compare it with the recurrence run with an ungrouped norm, for information.")
    report.append("")
    report.append(common.md_table(["case", "ngroups", "L", "max abs", "max |ref|", "rel", "top-1 agree", "status"],
                                  refcheck_rows))
    report.append("")

    # ------------------------------------------------------------------ CLI runs
    run_rows = []
    loader_rows = []
    if not args.skip_cli:
        tasks = []
        for name, b in built.items():
            for layout in layouts:
                for dev, dt in combos:
                    for L in lengths:
                        tasks.append(dict(case=name, layout=layout, device=dev, dtype=dt, length=L))
        ids_dir = os.path.join(workdir, "ids")
        out_dir = os.path.join(workdir, "logits")
        os.makedirs(ids_dir, exist_ok=True)
        os.makedirs(out_dir, exist_ok=True)
        lock = threading.Lock()
        raw_rejected = {}  # case -> error text, when the loader refused the raw HF config but the strict copy loaded

        def ids_arg(name, L, ids):
            if args.ids_via == "comma":
                return ",".join(str(i) for i in ids)
            path = os.path.join(ids_dir, "%s_L%d.npy" % (name, L))
            with lock:
                if not os.path.exists(path):
                    np.save(path, np.asarray(ids, dtype=np.int64))
            return path

        def do_task(t):
            b = built[t["case"]]
            ref = b["refs"][t["length"]]
            out = os.path.join(out_dir, "%s_%s_%s_%s_L%d.npy" % (t["case"], t["layout"], t["device"], t["dtype"],
                                                                t["length"]))
            if os.path.exists(out):
                os.remove(out)

            def argv(model_dir):
                return [cli, "logits", "--model", model_dir, "--ids", ids_arg(t["case"], t["length"], ref["ids"]),
                        "--out", out, "--dtype", t["dtype"], "--device", t["device"]]

            r = run_cli(argv(b["dirs"][t["layout"]]), args.timeout)
            t["seconds"] = r["seconds"]
            t["strict_json_fallback"] = False
            if r["rc"] != 0 and t["layout"] == "hf" and b["strict_dir"]:
                r2 = run_cli(argv(b["strict_dir"]), args.timeout)
                if r2["rc"] == 0:
                    with lock:
                        raw_rejected.setdefault(t["case"], tail(r["stderr"] or r["stdout"], 600))
                    t["strict_json_fallback"] = True
                    r = r2
            t["rc"] = r["rc"]
            t["stderr"] = tail(r["stderr"])
            t["stdout"] = tail(r["stdout"], 600)
            if r["rc"] == 0:
                try:
                    arr = np.load(out)
                    if arr.ndim == 3 and arr.shape[0] == 1:
                        arr = arr[0]
                    t["shape"] = list(arr.shape)
                    t["npy_dtype"] = str(arr.dtype)
                    t["ours"] = arr
                except Exception as e:
                    t["rc"] = -1
                    t["stderr"] = "reading %s failed: %s" % (out, e)
            return t

        print("running %d CLI calls, %d at a time" % (len(tasks), args.jobs), file=sys.stderr)
        done = 0
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = [pool.submit(do_task, t) for t in tasks]
            for fut in as_completed(futs):
                t = fut.result()
                done += 1
                print("[%d/%d] %s %s %s:%s L=%d rc=%d %.1fs" % (done, len(tasks), t["case"], t["layout"], t["device"],
                                                              t["dtype"], t["length"], t["rc"], t["seconds"]),
                      file=sys.stderr)

        for cname, err in sorted(raw_rejected.items()):
            failures.append("%s: the loader rejected the HF config.json as transformers wrote it (time_step_limit "
                            "spelled %s); numbers below used a strict-JSON copy" % (
                                cname, " / ".join(built[cname]["spellings"])))
            loader_rows.append([cname, " / ".join(built[cname]["spellings"]), err])

        summary = {}
        for t in tasks:
            b = built[t["case"]]
            case = b["case"]
            refset = b["refs"][t["length"]]
            V = case["vocab"]
            low = t["dtype"] == "fp32"
            label = t["layout"] + ("*" if t.get("strict_json_fallback") else "")
            if t["rc"] != 0:
                last = ((t["stderr"] or t["stdout"] or "").strip().splitlines() or [""])[-1]
                failures.append("%s %s %s:%s L=%d: CLI failed (rc %d): %s" % (
                    t["case"], t["layout"], t["device"], t["dtype"], t["length"], t["rc"], last[:300]))
                run_rows.append([t["case"], label, t["device"], t["dtype"], t["length"], "-", "-", "-", "-", "-",
                                 "ERROR rc=%d" % t["rc"]])
                key = (t["case"], t["layout"], t["device"], t["dtype"], "recurrence")
                s = summary.setdefault(key, dict(rel=0.0, max_abs=0.0, top1=1.0, n=0, errors=0, fallback=False))
                s["errors"] += 1
                results["runs"].append({k: v for k, v in t.items() if k != "ours"})
                continue
            ours = t["ours"]
            if list(ours.shape) != [t["length"], V]:
                failures.append("%s %s %s:%s L=%d: logits shape %s, expected [%d, %d]" % (
                    t["case"], t["layout"], t["device"], t["dtype"], t["length"], list(ours.shape), t["length"], V))
                run_rows.append([t["case"], label, t["device"], t["dtype"], t["length"], "-", "-", "-", "-", "-",
                                 "BAD SHAPE %s" % list(ours.shape)])
                results["runs"].append({k: v for k, v in t.items() if k != "ours"})
                continue
            if t.get("npy_dtype") != "float32":
                failures.append("%s %s: logits .npy has dtype %s, the interface says float32" % (
                    t["case"], t["layout"], t.get("npy_dtype")))
            rec = dict(t)
            rec.pop("ours")
            rec["compare"] = {}
            for refname in ("recurrence", "hf"):
                ref = refset.get(refname)
                if ref is None:
                    continue
                st = compare(ours, ref, np)
                rec["compare"][refname] = st
                if low:
                    status = "PASS" if (st["finite"] and st["rel"] <= args.tol) else "FAIL"
                    if status == "FAIL":
                        failures.append("%s %s %s:%s L=%d vs %s: rel %.2e > %g%s" % (
                            t["case"], t["layout"], t["device"], t["dtype"], t["length"], refname, st["rel"],
                            args.tol, "" if st["finite"] else " (non-finite logits)"))
                else:
                    status = "ok" if (st["finite"] and st["rel"] <= args.bf16_warn) else "WARN"
                run_rows.append([t["case"], label, t["device"], t["dtype"], t["length"], refname,
                                 common.fmt_sci(st["max_abs"]), common.fmt_sci(st["ref_max"]),
                                 common.fmt_sci(st["rel"]), "%.3f" % st["top1"], status])
                key = (t["case"], t["layout"], t["device"], t["dtype"], refname)
                s = summary.setdefault(key, dict(rel=0.0, max_abs=0.0, top1=1.0, n=0, errors=0, fallback=False))
                s["rel"] = max(s["rel"], st["rel"])
                s["max_abs"] = max(s["max_abs"], st["max_abs"])
                s["top1"] = min(s["top1"], st["top1"])
                s["n"] += 1
                s["fallback"] = s["fallback"] or bool(t.get("strict_json_fallback"))
            results["runs"].append(rec)

        report.append("## Summary: ssmlens-cli logits vs the references (worst over lengths %s)" % lengths)
        report.append("")
        srows = []
        for key in sorted(summary):
            cname, layout, dev, dt, refname = key
            s = summary[key]
            if s["errors"]:
                status = "ERROR (%d failed runs)" % s["errors"]
            elif dt == "fp32":
                status = "PASS" if s["rel"] <= args.tol else "FAIL"
            else:
                status = "ok" if s["rel"] <= args.bf16_warn else "WARN"
            srows.append([cname, layout + ("*" if s["fallback"] else ""), dev, dt, refname,
                          common.fmt_sci(s["max_abs"]) if s["n"] else "-", common.fmt_sci(s["rel"]) if s["n"] else "-",
                          "%.3f" % s["top1"] if s["n"] else "-", status])
        report.append(common.md_table(["case", "layout", "device", "dtype", "reference", "max abs", "max rel",
                                       "min top-1 agree", "status"], srows))
        report.append("")
        report.append("rel = max |ours - ref| / max |ref| over all positions and vocabulary entries. fp32 rows must be "
                      "<= %g; bf16/fp16 rows are informational (WARN above %g). layout* = numbers from a strict-JSON "
                      "copy of config.json because the loader rejected the file transformers wrote." % (
                          args.tol, args.bf16_warn))
        report.append("")
        if loader_rows:
            report.append("## Loader problems with Hugging Face config.json")
            report.append("")
            report.append(common.md_table(["case", "non-finite spelling in config.json", "CLI error"], loader_rows))
            report.append("")

        # ------------------------------------------------------------------ generation check
        if not args.skip_generate:
            gen_rows = []
            gen_devices = list(dict.fromkeys(dev for dev, _ in combos))
            for name, b in built.items():
                case = b["case"]
                gdir = b["strict_dir"] if name in raw_rejected else b["dirs"]["hf"]
                g = torch.Generator().manual_seed(args.seed * 7 + len(name))
                id_hi = min(case["vocab"], case["ss_vocab"][0])
                prompt = torch.randint(0, id_hi, (args.gen_prompt,), generator=g).tolist()
                for dev in gen_devices:
                    argv = [cli, "generate", "--model", gdir, "--ids", ",".join(str(i) for i in prompt),
                            "--max-new-tokens", str(args.gen_tokens), "--greedy", "--json", "--dtype", "fp32",
                            "--device", dev]
                    r = run_cli(argv, args.timeout)
                    row_base = [name, dev, len(prompt)]
                    rec = dict(case=name, device=dev, prompt=prompt, rc=r["rc"])
                    results["generate"].append(rec)
                    if r["rc"] != 0:
                        msg = ((r["stderr"] or r["stdout"] or "").strip().splitlines() or [""])[-1]
                        failures.append("%s %s: generate failed (rc %d): %s" % (name, dev, r["rc"], msg[:300]))
                        gen_rows.append(row_base + ["-", "-", "-", "ERROR rc=%d: %s" % (r["rc"], msg[:200])])
                        rec["stderr"] = tail(r["stderr"])
                        continue
                    try:
                        obj = parse_generate_stdout(r["stdout"])
                        all_ids = [int(i) for i in obj["ids"]]
                    except Exception as e:
                        failures.append("%s %s: generate output not understood: %s" % (name, dev, e))
                        gen_rows.append(row_base + ["-", "-", "-", "BAD OUTPUT: %s" % tail(r["stdout"], 200)])
                        rec["stdout"] = tail(r["stdout"])
                        continue
                    if all_ids[:len(prompt)] != prompt:
                        failures.append("%s %s: generate's ids do not start with the prompt" % (name, dev))
                        gen_rows.append(row_base + ["-", "-", "-", "FAIL: ids do not start with the prompt"])
                        continue
                    new = all_ids[len(prompt):]
                    if not new:
                        failures.append("%s %s: generate produced no tokens" % (name, dev))
                        gen_rows.append(row_base + [0, "-", "-", "FAIL: no new tokens"])
                        continue
                    ref = reference_logits(b["W"], case, prompt + new[:-1], torch).numpy()
                    scale = float(np.max(np.abs(ref)))
                    exact = 0
                    worst_gap = 0.0
                    bad = []
                    for k, tok in enumerate(new):
                        row = ref[len(prompt) - 1 + k]
                        if not (0 <= tok < row.shape[0]):
                            bad.append(k)
                            worst_gap = float("inf")
                            continue
                        gap = float(row.max() - row[tok])
                        worst_gap = max(worst_gap, gap)
                        if int(row.argmax()) == tok:
                            exact += 1
                        if gap > args.gen_tie * scale:
                            bad.append(k)
                    if bad:
                        failures.append("%s %s: generated token(s) %s are not the reference argmax" % (
                            name, dev, bad[:8]))
                    gap_rel = worst_gap / scale if scale else worst_gap
                    gen_rows.append(row_base + [len(new), "%d/%d" % (exact, len(new)), common.fmt_sci(gap_rel),
                                                "PASS" if not bad else "FAIL at new token(s) %s" % bad[:8]])
                    rec.update(new=new, exact=exact, worst_gap_rel=gap_rel)
            report.append("## Generation check: `generate --greedy` vs argmax of the fp64 recurrence")
            report.append("")
            report.append(common.md_table(["case", "device", "prompt", "new tokens", "== ref argmax",
                                           "worst (max - chosen)/max|ref|", "status"], gen_rows))
            report.append("")
            report.append("generate runs in fp32 on the HF-layout model (prefill of the prompt, then one-step decoding "
                          "with the conv and SSM states). A token passes when its reference logit is within "
                          "%g * max|ref| of the largest (near ties may go either way)." % args.gen_tie)
            report.append("")

        report.append("## Details per length")
        report.append("")
        report.append(common.md_table(["case", "layout", "device", "dtype", "L", "reference", "max abs", "max |ref|",
                                       "rel", "top-1", "status"], run_rows))
        report.append("")
        errs = [t for t in tasks if t.get("rc", 0) != 0]
        if errs:
            report.append("## CLI errors (first 5)")
            report.append("")
            for t in errs[:5]:
                report.append("### %s %s %s:%s L=%d (rc %d)" % (t["case"], t["layout"], t["device"], t["dtype"],
                                                              t["length"], t["rc"]))
                report.append("```")
                report.append((t.get("stderr") or "") + ("\n" + t["stdout"] if t.get("stdout") else ""))
                report.append("```")
            report.append("")

    # ------------------------------------------------------------------ verdict
    report.append("## Verdict")
    report.append("")
    if failures:
        report.append("FAIL: %d problem(s)" % len(failures))
        report.append("")
        for f in failures[:60]:
            report.append("- " + f)
        if len(failures) > 60:
            report.append("- ... and %d more" % (len(failures) - 60))
    else:
        report.append("PASS%s" % (" (references only: --skip-cli)" if args.skip_cli else ""))
    report.append("")

    text = "\n".join(report)
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")
        print("report written to %s" % args.out, file=sys.stderr)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(common.replace_nonfinite(results), f, indent=1, default=str)
        print("numbers written to %s" % args.json, file=sys.stderr)
    if own_tmp and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    elif args.keep or not own_tmp:
        print("model folders kept in %s" % workdir, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
