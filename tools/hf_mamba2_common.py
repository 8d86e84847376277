"""Shared helpers for the SSM Lens GPU tools (conformance.py, bench_hf.py).

What it holds:
  * environment set-up that keeps Hugging Face offline (the GPU machine has no internet),
  * a probe of the optional fast kernels (mamba_ssm, causal_conv1d, the `kernels` hub package),
  * a way to force transformers' Mamba-2 mixers onto their pure-PyTorch path (torch_forward),
  * a builder for transformers.Mamba2Config from our shape names,
  * the run header (command line, date, GPU, library versions) every tool prints,
  * small pure-Python helpers (Markdown tables, int lists, safetensors header reading, JSON with
    non-finite floats) that need neither torch nor numpy, so `python3 tools/conformance.py --self-test`
    can check them on a machine without either.

This file is imported by the tools; it is not meant to be run. torch / transformers are imported
lazily inside the functions that need them.
"""

import datetime
import importlib
import importlib.util
import inspect
import json
import math
import os
import platform
import shlex
import struct
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CLI = os.path.join(REPO_ROOT, "build-gpu", "bin", "ssmlens-cli")


def setup_offline_env():
    """No network on the GPU machine: make huggingface_hub / transformers fail fast instead of
    retrying downloads (matters only if the `kernels` hub package is installed)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# ----------------------------------------------------------------------------------------------
# pure-Python helpers (no torch, no numpy)
# ----------------------------------------------------------------------------------------------

def parse_int_list(text):
    """'512,2048, 8192' -> [512, 2048, 8192]; raises ValueError on junk or an empty list."""
    out = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        out.append(int(part))
    if not out:
        raise ValueError("empty list: %r" % (text,))
    return out


def parse_str_list(text):
    out = [p.strip() for p in str(text).split(",") if p.strip()]
    if not out:
        raise ValueError("empty list: %r" % (text,))
    return out


def md_table(headers, rows):
    """A GitHub Markdown table; cells are str()-ed, '|' escaped, columns padded for reading in a
    terminal too."""
    def cell(v):
        s = "" if v is None else str(v)
        return s.replace("|", "\\|").replace("\n", " ")
    head = [cell(h) for h in headers]
    body = [[cell(c) for c in r] for r in rows]
    for r in body:
        if len(r) != len(head):
            raise ValueError("row has %d cells, header has %d: %r" % (len(r), len(head), r))
    widths = [len(h) for h in head]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    def line(cells):
        return "| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(cells)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in body)
    return "\n".join(out)


def fmt_num(x, digits=3):
    """Short human format for timings and ratios; None / NaN -> '-'."""
    if x is None:
        return "-"
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(xf):
        return "-"
    if math.isinf(xf):
        return "inf"
    if xf != 0 and (abs(xf) >= 1e6 or abs(xf) < 1e-3):
        return "%.*e" % (max(digits - 1, 1), xf)
    if abs(xf) >= 100:
        return "%.1f" % xf
    return "%.*g" % (digits, xf)


def fmt_sci(x):
    if x is None:
        return "-"
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(xf):
        return "nan"
    return "%.2e" % xf


def json_load_lenient(text):
    """json.loads that also accepts the spellings of non-finite floats we meet in config.json files:
    bare Infinity / NaN (Python's json writes these; strict JSON has none) and transformers 5's
    {"__float__": "Infinity"} sentinel. Returns (value, list of spellings seen)."""
    seen = []

    def const(name):
        seen.append("bare " + name)
        return {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}[name]

    def hook(obj):
        if len(obj) == 1 and "__float__" in obj:
            seen.append('{"__float__": %s}' % json.dumps(obj["__float__"]))
            v = str(obj["__float__"]).strip().lower()
            if v in ("infinity", "inf", "+infinity", "+inf"):
                return math.inf
            if v in ("-infinity", "-inf"):
                return -math.inf
            if v == "nan":
                return math.nan
            return float(v)
        return obj

    value = json.loads(text, parse_constant=const, object_hook=hook)
    return value, seen


def replace_nonfinite(value, big=1e30):
    """Deep copy with +/-inf replaced by +/-big and NaN by None: a strict-JSON form of a config."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return big if value > 0 else -big
        return value
    if isinstance(value, dict):
        return {k: replace_nonfinite(v, big) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [replace_nonfinite(v, big) for v in value]
    return value


def safetensors_header(path):
    """The JSON header of a .safetensors file: {name: {dtype, shape, data_offsets}} (+ __metadata__).
    Reads only the header, needs no safetensors package."""
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise ValueError("%s: shorter than a safetensors header" % path)
        (n,) = struct.unpack("<Q", raw)
        if n <= 0 or n > 100 * 1024 * 1024:
            raise ValueError("%s: implausible safetensors header length %d" % (path, n))
        head = f.read(n)
    return json.loads(head.decode("utf-8"))


def command_line():
    return " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def git_describe():
    try:
        r = subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, timeout=10)
        rev = r.stdout.strip() if r.returncode == 0 else "(no commit)"
        r2 = subprocess.run(["git", "-C", REPO_ROOT, "status", "--porcelain"], capture_output=True, text=True,
                            timeout=20)
        dirty = " + uncommitted changes" if (r2.returncode == 0 and r2.stdout.strip()) else ""
        return rev + dirty
    except Exception as e:  # git missing, not a checkout, ...
        return "(unknown: %s)" % e


def module_available(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def kernel_probe():
    """Which optional fast-path packages exist. Only find_spec: importing mamba_ssm can be slow
    (Triton) and is not needed to know it is there."""
    return {name: module_available(name) for name in ("mamba_ssm", "causal_conv1d", "kernels")}


def run_header(title, extra_lines=()):
    """Markdown lines: title, command, date, host, GPU, versions. Works without torch (says so)."""
    lines = ["# " + title, ""]
    lines.append("- command: `%s`" % command_line())
    lines.append("- date: %s" % utc_now())
    lines.append("- host: %s (%s, Python %s)" % (platform.node(), platform.platform(), platform.python_version()))
    lines.append("- repo: %s at %s" % (REPO_ROOT, git_describe()))
    gpu = "(torch not importable)"
    try:
        import torch
        tv = torch.__version__
        cuda = torch.version.cuda
        if torch.cuda.is_available():
            names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
            gpu = ", ".join(names)
        else:
            gpu = "none visible to torch"
        lines.append("- torch: %s (CUDA %s, cuDNN %s)" % (tv, cuda, torch.backends.cudnn.version()))
    except Exception as e:
        lines.append("- torch: not importable (%s)" % e)
    lines.append("- GPU: %s" % gpu)
    try:
        import transformers
        lines.append("- transformers: %s" % transformers.__version__)
    except Exception as e:
        lines.append("- transformers: not importable (%s)" % e)
    try:
        import numpy
        lines.append("- numpy: %s" % numpy.__version__)
    except Exception as e:
        lines.append("- numpy: not importable (%s)" % e)
    probe = kernel_probe()
    lines.append("- optional kernels importable: " + ", ".join("%s=%s" % (k, "yes" if v else "no")
                                                            for k, v in probe.items()))
    for l in extra_lines:
        lines.append("- " + l)
    lines.append("")
    return lines


# ----------------------------------------------------------------------------------------------
# transformers Mamba-2
# ----------------------------------------------------------------------------------------------

def import_hf_mamba2():
    """Returns (Mamba2Config, Mamba2ForCausalLM, modeling module). Raises ImportError with a clear
    message when transformers has no Mamba-2."""
    try:
        from transformers import Mamba2Config, Mamba2ForCausalLM
    except Exception as e:
        raise ImportError("transformers with Mamba-2 support is needed (from transformers import "
                          "Mamba2Config, Mamba2ForCausalLM failed: %s)" % e)
    modeling = importlib.import_module("transformers.models.mamba2.modeling_mamba2")
    return Mamba2Config, Mamba2ForCausalLM, modeling


# Module-level functions of transformers >= ~5.16's modeling_mamba2 that are decorated with
# use_kernel_func_from_hub_with_fallback: at import they bind to mamba_ssm / causal_conv1d when those
# import, else to the pure-PyTorch function underneath (reachable as __wrapped__).
HF_KERNEL_FUNCS = ("causal_conv1d_fn", "causal_conv1d_update", "mamba2_split_conv1d_scan_combined",
                   "mamba2_selective_state_update", "mamba2_chunk_scan")
# Older transformers (4.44 .. ~5.1x): Mamba2Mixer.forward chose cuda_kernels_forward or torch_forward from
# these module globals.
HF_OLD_KERNEL_GLOBALS = ("selective_state_update", "mamba_chunk_scan_combined", "mamba_split_conv1d_scan_combined",
                         "causal_conv1d_fn", "causal_conv1d_update")


def hf_mamba2_structure(modeling):
    """'mixer-methods' (Mamba2Mixer has torch_forward / cuda_kernels_forward) or 'module-functions'."""
    mixer = getattr(modeling, "Mamba2Mixer", None)
    if mixer is not None and hasattr(mixer, "torch_forward"):
        return "mixer-methods"
    return "module-functions"


def _bound_implementation(fn):
    """What a use_kernel_func_from_hub_with_fallback wrapper calls (its closure's `implementation`)."""
    try:
        return inspect.getclosurevars(fn).nonlocals.get("implementation")
    except Exception:
        return None


def hf_kernel_paths(modeling):
    """{what: path} describing which implementation transformers' Mamba-2 will use on a CUDA device."""
    if hf_mamba2_structure(modeling) == "mixer-methods":
        fast = bool(getattr(modeling, "is_fast_path_available", False))
        return {"Mamba2Mixer.forward": "cuda_kernels_forward (mamba_ssm)" if fast else "torch_forward (pure PyTorch)"}
    out = {}
    for name in HF_KERNEL_FUNCS:
        fn = getattr(modeling, name, None)
        if fn is None:
            continue
        torch_fn = inspect.unwrap(fn)
        impl = _bound_implementation(fn)
        if impl is None:
            out[name] = "torch" if fn is torch_fn or getattr(fn, "__module__", "") == modeling.__name__ else "unknown"
        elif impl is torch_fn or getattr(impl, "__module__", "") == modeling.__name__:
            out[name] = "torch"
        else:
            out[name] = "kernel:%s" % getattr(impl, "__module__", "?")
    return out


def hf_path_description(modeling):
    paths = hf_kernel_paths(modeling)
    if hf_mamba2_structure(modeling) == "mixer-methods":
        return "%s (transformers with Mamba2Mixer.torch_forward)" % list(paths.values())[0]
    kernels = {k: v for k, v in paths.items() if not v.startswith("torch")}
    if not kernels:
        return "pure PyTorch (all of %s bound to transformers' torch fallbacks)" % ", ".join(paths) if paths else \
            "unknown (no kernel-decorated functions found in modeling_mamba2)"
    return "kernels for %s" % ", ".join("%s=%s" % kv for kv in kernels.items())


def hf_force_torch_path(modeling):
    """Keep transformers' Mamba-2 off mamba_ssm / causal_conv1d / hub kernels for models run afterwards.
    transformers >= ~5.16: rebind each kernel-decorated module function that is bound to a kernel to the
    pure-PyTorch function it wraps. Older: clear the kernel globals and the fast-path flag, and make
    lazy_load_kernel (5.5+) find nothing; call hf_patch_mixers_torch_forward(model) on each model too.
    Returns a list of what was changed (for the report)."""
    changed = []
    if hf_mamba2_structure(modeling) == "module-functions":
        for name, path in hf_kernel_paths(modeling).items():
            if path.startswith("torch"):
                continue
            fn = getattr(modeling, name)
            torch_fn = inspect.unwrap(fn)
            if torch_fn is not fn and getattr(torch_fn, "__module__", "") == modeling.__name__:
                setattr(modeling, name, torch_fn)
                changed.append("modeling_mamba2.%s: %s -> torch fallback" % (name, path))
            else:
                changed.append("modeling_mamba2.%s: %s, could NOT find the torch fallback" % (name, path))
        return changed
    if hasattr(modeling, "lazy_load_kernel"):
        modeling.lazy_load_kernel = lambda *a, **k: None
        changed.append("modeling_mamba2.lazy_load_kernel -> None")
    for modname in ("transformers.integrations.hub_kernels", "transformers.integrations"):
        try:
            mod = importlib.import_module(modname)
            if hasattr(mod, "lazy_load_kernel"):
                setattr(mod, "lazy_load_kernel", lambda *a, **k: None)
                changed.append("%s.lazy_load_kernel -> None" % modname)
        except Exception:
            pass
    for name in HF_OLD_KERNEL_GLOBALS:
        if getattr(modeling, name, None) is not None:
            setattr(modeling, name, None)
            changed.append("modeling_mamba2.%s -> None" % name)
    if getattr(modeling, "is_fast_path_available", False):
        changed.append("modeling_mamba2.is_fast_path_available True -> False")
    if hasattr(modeling, "is_fast_path_available"):
        modeling.is_fast_path_available = False
    return changed


def hf_patch_mixers_torch_forward(model, modeling=None):
    """Older transformers only: make every mixer of `model` call torch_forward whatever kernels exist (the
    instance's forward becomes a wrapper passing on the arguments torch_forward accepts). Returns the number
    of mixers patched (0 on transformers whose mixers have no torch_forward: nothing to do there)."""
    if modeling is not None and hasattr(modeling, "is_fast_path_available"):
        modeling.is_fast_path_available = False
    patched = 0
    for module in model.modules():
        if not (hasattr(module, "torch_forward") and hasattr(module, "cuda_kernels_forward")):
            continue
        tf = module.torch_forward
        params = inspect.signature(tf).parameters
        names = set(params)
        var_kw = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values())

        def forward(hidden_states, *args, _tf=tf, _names=names, _var_kw=var_kw, **kwargs):
            if not _var_kw:
                kwargs = {k: v for k, v in kwargs.items() if k in _names}
            return _tf(hidden_states, *args, **kwargs)

        module.forward = forward
        patched += 1
    return patched


def make_hf_config(Mamba2Config, *, hidden, layers, state, head_dim, groups, chunk, vocab, tied,
                   expand=2, conv_kernel=4, use_bias=False, use_conv_bias=True, eps=1e-5,
                   time_step_limit=(0.0, float("inf")), eos_token_id=0):
    """transformers.Mamba2Config with every shape field given explicitly (the class defaults are those
    of Mamba-Codestral: n_groups 8, hidden 4096, ...; and it checks hidden*expand == num_heads*head_dim)."""
    d_inner = expand * hidden
    if d_inner % head_dim:
        raise ValueError("expand*hidden %d is not a multiple of head_dim %d" % (d_inner, head_dim))
    num_heads = d_inner // head_dim
    if num_heads % groups:
        raise ValueError("num_heads %d is not a multiple of n_groups %d" % (num_heads, groups))
    return Mamba2Config(
        vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers, state_size=state, head_dim=head_dim,
        num_heads=num_heads, n_groups=groups, expand=expand, conv_kernel=conv_kernel, chunk_size=chunk,
        layer_norm_epsilon=eps, use_bias=use_bias, use_conv_bias=use_conv_bias, residual_in_fp32=True,
        rms_norm=True, time_step_limit=tuple(time_step_limit), tie_word_embeddings=tied,
        pad_token_id=0, bos_token_id=0, eos_token_id=eos_token_id, hidden_act="silu", use_cache=False,
    )


def hf_save_pretrained(model, directory):
    """save_pretrained in safetensors; transformers 5 may have dropped the safe_serialization keyword
    (safetensors is the only format), so fall back to the plain call."""
    try:
        model.save_pretrained(directory, safe_serialization=True)
    except TypeError:
        model.save_pretrained(directory)
