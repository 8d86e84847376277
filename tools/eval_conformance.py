#!/usr/bin/env python3
"""eval_conformance.py: does `ssmlens-cli eval` score zero-shot tasks the way lm-evaluation-harness v0.4
scores them over Hugging Face transformers' Mamba-2, and how fast is it?

Two modes.

check (default): per-example loglikelihoods of `ssmlens-cli eval` against a Python implementation of
lm-eval v0.4's loglikelihood conventions over transformers' Mamba2ForCausalLM, same random weights.
    1. Builds a random tiny Mamba2ForCausalLM with transformers (no download; d_model 128, 4 layers,
       d_state 16, head_dim 32, ngroups 1, chunk 32, tied head, vocab 50288 rows so every GPT-NeoX id
       fits), gives every parameter non-trivial random values (tools/conformance.py's init_parameters)
       and scales the final norm so that the logits have a standard deviation of about --logit-scale
       (2.5: log-probabilities near ln(50288) as a real model's, not -100s), keeps transformers on its
       pure-PyTorch path (tools/hf_mamba2_common.py), and writes it with save_pretrained together with
       the GPT-NeoX-20B tokenizer.json (copied into the model folder: the CLI reads it from there).
    2. Builds the requests exactly as lm-eval v0.4's task configs do:
         lambada_openai: context " ".join(text.split(" ")[:-1]), continuation " " + text.split(" ")[-1]
         piqa:           context "Question: " + goal + "\\nAnswer:", continuations " " + sol1, " " + sol2
       and encodes them as HFLM does (loglikelihood + _encode_pair): an empty context becomes
       [end-of-text]; otherwise trailing whitespace of the context moves to the front of the continuation,
       context ids = encode(context), continuation ids = encode(context + continuation)[len(context ids):]
       (tokenizers' Tokenizer.from_file, add_special_tokens=False, which is what HFLM.tok_encode does for a
       causal model). A context of whitespace only (lm-eval would score it with no token before it) is
       scored after end-of-text, as the CLI does; it does not occur in these files.
    3. Scores them as HFLM._loglikelihood_tokens does: input = (context + continuation)[-(L+1):][:-1]
       (L = --max-length, 2048), longest first, right-padded batches without attention mask,
       log_softmax over the vocabulary, the rows inp_len - cont_len .. inp_len - 1, loglikelihood = sum of
       the continuation tokens' log-probabilities, greedy = every continuation token is the argmax.
       transformers runs in fp32 on the GPU with TF32 off. lm-eval sums the fp32 log-probabilities in fp32
       (float(logits.sum())); the comparison uses their sum in fp64 (the per-token values are the same),
       and the report shows how far lm-eval's fp32 sum is from it ("fp32 sum" column).
       acc / acc_norm / perplexity as lm-eval: acc = argmax of the loglikelihoods (first on a tie) is the
       gold one (LAMBADA: greedy), acc_norm divides by len(choice) (Python str length of the choice
       without the leading space), perplexity = exp(-mean(loglikelihood)).
    4. Runs `ssmlens-cli eval --model DIR --task T --data FILE --limit N --json OUT --device cuda
       --dtype fp32 --batch-size B --max-length L` on four sets: the bundled samples
       (resources/eval-samples: lambada_openai and piqa, 12 items each) and the first --limit (200) items
       of the real LAMBADA (lambada_test.jsonl) and PIQA (valid.jsonl + valid-labels.lst) files, and
       compares per request: context/continuation strings, token counts, input length, loglikelihood
       (max abs difference; also relative and per token), greedy flag; per example: acc and acc_norm
       decisions (with how many flips are near ties, |ll1 - ll2| <= 2 * tol); and the summary metrics.
    5. Cross-checks a few requests per set (--recurrence-check, default 8) against an fp64 per-timestep
       recurrence of the model definition (tools/conformance.py's reference_logits), so that a
       difference can be blamed on the right side.
  Exit status 0 when, for every set, the CLI ran, the strings and token counts agree and
  max |ll_cli - ll_ref| <= --tol (1e-4) in fp32; 1 otherwise; 2 for a usage / environment problem.

bench: examples/second of `ssmlens-cli eval` on random weights of the 130m config (ssmlens-cli
random-model --size 130m, GPT-NeoX tokenizer copied in), for lambada_openai and piqa (--bench-limit, 500
examples), dense and with the reference schedule (--preset depth --keep-ratio 0.905, method utr), bf16
and fp32, --batch-size 32, on cuda. The CLI prints no timings, so each configuration is run twice, with
--limit 1 and with --limit N, and the scoring rate is (N - 1) / (wall(N) - wall(1)): process start,
model load, CUDA initialisation and the first forward pass cancel out. A run with a schedule scores dense
and then reduced; the reduced pass alone is estimated as that run's difference minus the dense run's.
Also shown: the rate including start-up (N / wall(N)), input tokens per second, and the reduction the
run reports (FlopsModel token and FLOPs reduction, measured token reduction).

How to run (repo root; tools/gpu_run.sh eval-conformance / eval-bench builds the CLI first):
    python3 tools/eval_conformance.py check --cli build-gpu/bin/ssmlens-cli --out $OUT/eval_conformance.md
    python3 tools/eval_conformance.py bench --cli build-gpu/bin/ssmlens-cli --out $OUT/eval_bench.md
  Options: --tokenizer FILE (default: .carry/gpt-neox-20b-tokenizer.json, shared/data/, ../shared/data/,
           /work/shared/data/), --lambada FILE, --piqa FILE (default: .carry/{lambada_openai,piqa}/, then
           .carry/, then [../]shared/data/benchmarks/), --sets samples-lambada,samples-piqa,lambada,piqa,
           --limit 200, --batch-size 32, --max-length 2048, --tol 1e-4, --cli-dtypes fp32[,bf16]
           (bf16 rows are informational), --seed, --jobs 4, --workdir DIR --keep, --json FILE;
           bench: --bench-limit 500, --bench-tasks, --bench-dtypes bf16,fp32, --bench-modes dense,reduced,
           --keep-ratio 0.905, --model-dir /tmp/m130, --reps 1.
  python3 tools/eval_conformance.py self-test    checks the pure-Python parts (no torch needed).

The benchmark files are never part of the repository: copy them into .carry/ (git-ignored) and pass
carry: [".carry"] to the GPU machine.

Machine: Python 3.10+, PyTorch, transformers (checked with 5.17), safetensors, `tokenizers`, a CUDA GPU.
No internet needed.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS_DIR)
import hf_mamba2_common as common  # noqa: E402

REPO_ROOT = common.REPO_ROOT

# The tiny model of the check (ngroups 1: transformers' fallback is the reference semantics only there).
TINY = dict(name="eval-tiny", hidden=128, layers=4, state=16, head_dim=32, groups=1, chunk=32, vocab=50288,
            tied=True)

TOKENIZER_CANDIDATES = (".carry/gpt-neox-20b-tokenizer.json", ".carry/tokenizer.json",
                        "shared/data/gpt-neox-20b-tokenizer.json", "../shared/data/gpt-neox-20b-tokenizer.json",
                        "/work/shared/data/gpt-neox-20b-tokenizer.json")
DATA_CANDIDATES = {
    "lambada_openai": (".carry/lambada_openai/lambada_test.jsonl", ".carry/lambada_test.jsonl",
                       "shared/data/benchmarks/lambada_openai/lambada_test.jsonl",
                       "../shared/data/benchmarks/lambada_openai/lambada_test.jsonl",
                       "/work/shared/data/benchmarks/lambada_openai/lambada_test.jsonl"),
    "piqa": (".carry/piqa/valid.jsonl", ".carry/valid.jsonl", "shared/data/benchmarks/piqa/valid.jsonl",
             "../shared/data/benchmarks/piqa/valid.jsonl", "/work/shared/data/benchmarks/piqa/valid.jsonl"),
}
SAMPLES = {
    "lambada_openai": "resources/eval-samples/lambada_openai/lambada_test.jsonl",
    "piqa": "resources/eval-samples/piqa/valid.jsonl",
}
# set name -> (task, where the file comes from)
SETS = {
    "samples-lambada": ("lambada_openai", "samples"),
    "samples-piqa": ("piqa", "samples"),
    "lambada": ("lambada_openai", "data"),
    "piqa": ("piqa", "data"),
}
EOT_NAMES = ("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|eos|>")


# ----------------------------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------------------------

def first_existing(candidates):
    for c in candidates:
        p = c if os.path.isabs(c) else os.path.join(REPO_ROOT, c)
        if os.path.isfile(p):
            return os.path.abspath(p)
    return None


def read_jsonl(path):
    """[(line number, object)] for the non-blank lines."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("%s:%d: expected a JSON object" % (path, n))
            out.append((n, obj))
    if not out:
        raise ValueError("%s: no items" % path)
    return out


def piqa_labels_path(path):
    """valid.jsonl -> valid-labels.lst beside it (as the CLI looks for it)."""
    return os.path.splitext(path)[0] + "-labels.lst"


# ----------------------------------------------------------------------------------------------
# lm-eval v0.4 requests (pure Python)
# ----------------------------------------------------------------------------------------------

def lambada_docs(path):
    """lambada_openai.yaml: doc_to_text "{{text.split(' ')[:-1]|join(' ')}}",
    doc_to_target "{{' '+text.split(' ')[-1]}}", output_type loglikelihood."""
    docs = []
    for i, (_, obj) in enumerate(read_jsonl(path)):
        text = obj["text"]
        words = text.split(" ")
        context = " ".join(words[:-1])
        continuation = " " + words[-1]
        docs.append(dict(doc=i, gold=0, multiple_choice=False, requests=[(context, continuation)],
                         norm=[float(len(words[-1]))]))
    return docs


def piqa_docs(path):
    """piqa.yaml: doc_to_text "Question: {{goal}}\\nAnswer:", doc_to_choice "{{[sol1, sol2]}}",
    target_delimiter " ", gold = label. Labels from X-labels.lst beside X.jsonl, else a "label" field."""
    items = read_jsonl(path)
    labels = None
    lp = piqa_labels_path(path)
    if os.path.isfile(lp):
        with open(lp, encoding="utf-8") as f:
            labels = [l.strip(" \t\r\n") for l in f.read().split("\n")]
        labels = [l for l in labels if l != ""]
        if len(labels) != len(items):
            raise ValueError("%s: %d labels for %d items" % (lp, len(labels), len(items)))
    docs = []
    for i, (_, obj) in enumerate(items):
        gold = int(labels[i]) if labels is not None else int(obj["label"])
        context = "Question: " + obj["goal"] + "\nAnswer:"
        choices = [obj["sol1"], obj["sol2"]]
        docs.append(dict(doc=i, gold=gold, multiple_choice=True,
                         requests=[(context, " " + c) for c in choices],
                         norm=[float(len(c)) for c in choices]))
    return docs


def task_docs(task, path):
    if task == "lambada_openai":
        return lambada_docs(path)
    if task == "piqa":
        return piqa_docs(path)
    raise ValueError("task %r is not covered by this tool" % task)


def encode_pair(encode, eot, context, continuation):
    """lm-eval v0.4 HFLM.loglikelihood + _encode_pair. encode(str) -> list of ids (no special tokens).
    Returns (context ids, continuation ids, note)."""
    if context == "":
        return [eot], encode(continuation), "empty context -> end-of-text"
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    if context == "":
        # lm-eval would go on with no context token at all; the CLI (and we) score after end-of-text.
        return [eot], encode(continuation), "whitespace-only context -> end-of-text"
    whole = encode(context + continuation)
    ctx = encode(context)
    return ctx, whole[len(ctx):], ""


def model_input(ctx, cont, max_length):
    """lm-eval: inp = (context_enc + continuation_enc)[-(max_length + 1):][:-1]"""
    allt = list(ctx) + list(cont)
    if max_length and max_length > 0:
        allt = allt[-(max_length + 1):]
    return allt[:-1]


def first_argmax(values):
    best = 0
    for i in range(1, len(values)):
        if values[i] > values[best]:
            best = i
    return best


def doc_outcome(doc, lls, greedies):
    """(acc, acc_norm or None, prediction, prediction_norm) of one example from its requests' scores."""
    if not doc["multiple_choice"]:
        return bool(greedies[0]), None, None, None
    pred = first_argmax(lls)
    pred_norm = first_argmax([l / n for l, n in zip(lls, doc["norm"])])
    return pred == doc["gold"], pred_norm == doc["gold"], pred, pred_norm


def task_metrics(docs, scores):
    """scores[doc index][choice] = (ll, greedy). -> {metric: value}, lm-eval's aggregation."""
    acc, acc_norm, lls = [], [], []
    multiple = bool(docs) and docs[0]["multiple_choice"]
    for d, s in zip(docs, scores):
        a, an, _, _ = doc_outcome(d, [x[0] for x in s], [x[1] for x in s])
        acc.append(1.0 if a else 0.0)
        if multiple:
            acc_norm.append(1.0 if an else 0.0)
        else:
            lls.append(s[0][0])
    out = {}
    if not multiple and lls:
        out["perplexity"] = math.exp(-sum(lls) / len(lls))
    if acc:
        out["acc"] = sum(acc) / len(acc)
    if multiple and acc_norm:
        out["acc_norm"] = sum(acc_norm) / len(acc_norm)
    return out


# ----------------------------------------------------------------------------------------------
# the CLI's result JSON
# ----------------------------------------------------------------------------------------------

def load_cli_result(path):
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    if r.get("format") != "ssmlens-eval-result":
        raise ValueError("%s: not an ssmlens-eval-result file" % path)
    return r


def cli_metrics(result, which="dense"):
    return {m["metric"]: m.get(which) for m in result["summary"]["metrics"]}


def compare_set(docs, tokens, ref, cli, tol):
    """docs: the Python docs (selection); tokens[i][k] = (ctx ids, cont ids, inp ids);
    ref[i][k] = dict(ll, ll_fp32, greedy, margin); cli: the CLI's result JSON.
    Returns a dict of statistics and a list of problems."""
    problems = []
    by_doc = {e["doc"]: e for e in cli["examples"]}
    st = dict(examples=len(docs), requests=0, cli_examples=len(cli["examples"]), strings_equal=0, tokens_equal=0,
              max_abs=0.0, max_rel=0.0, max_per_token=0.0, worst=None, max_fp32_sum=0.0, greedy_equal=0,
              greedy_near_tie=0, acc_equal=0, acc_norm_equal=0, acc_flips=0, acc_flips_near_tie=0,
              acc_norm_flips=0, acc_norm_flips_near_tie=0, compared=0, gold_equal=0)
    if len(cli["examples"]) != len(docs):
        problems.append("the CLI scored %d examples, expected %d" % (len(cli["examples"]), len(docs)))
    for i, d in enumerate(docs):
        e = by_doc.get(d["doc"])
        if e is None:
            problems.append("doc %d missing from the CLI result" % d["doc"])
            continue
        st["compared"] += 1
        if not d["multiple_choice"] or e.get("gold") == d["gold"]:
            st["gold_equal"] += 1
        else:
            problems.append("doc %d: gold %r in the CLI, %r here" % (d["doc"], e.get("gold"), d["gold"]))
        if len(e["choices"]) != len(d["requests"]):
            problems.append("doc %d: %d choices in the CLI, %d here" % (d["doc"], len(e["choices"]), len(d["requests"])))
            continue
        cli_ll, cli_greedy = [], []
        for k, (req, c) in enumerate(zip(d["requests"], e["choices"])):
            st["requests"] += 1
            ctx_ids, cont_ids, inp = tokens[i][k]
            if c["context"] == req[0] and c["continuation"] == req[1]:
                st["strings_equal"] += 1
            elif len(problems) < 20:
                problems.append("doc %d choice %d: request strings differ: CLI %r / %r, here %r / %r"
                                % (d["doc"], k, c["context"][-40:], c["continuation"][:40], req[0][-40:], req[1][:40]))
            dense = c["dense"]
            if (c["context_tokens"] == len(ctx_ids) and c["continuation_tokens"] == len(cont_ids)
                    and (len(cont_ids) == 0 or dense["input_tokens"] == len(inp))
                    and dense["scored_tokens"] == len(cont_ids)):
                st["tokens_equal"] += 1
            elif len(problems) < 20:
                problems.append("doc %d choice %d: token counts differ: CLI context %d continuation %d input %d, "
                                "here %d / %d / %d" % (d["doc"], k, c["context_tokens"], c["continuation_tokens"],
                                                       dense["input_tokens"], len(ctx_ids), len(cont_ids), len(inp)))
            r = ref[i][k]
            ll = dense["ll"]
            if ll is None:
                problems.append("doc %d choice %d: the CLI wrote no loglikelihood" % (d["doc"], k))
                ll = float("nan")
            cli_ll.append(ll)
            cli_greedy.append(bool(dense["greedy"]))
            diff = abs(ll - r["ll"]) if math.isfinite(ll) else float("inf")
            if diff > st["max_abs"] or (not math.isfinite(diff) and math.isfinite(st["max_abs"])):
                st["max_abs"] = diff
                st["worst"] = dict(doc=d["doc"], choice=k, cli=ll, ref=r["ll"], tokens=len(cont_ids))
            if r["ll"] != 0:
                st["max_rel"] = max(st["max_rel"], diff / abs(r["ll"]))
            if cont_ids:
                st["max_per_token"] = max(st["max_per_token"], diff / len(cont_ids))
            st["max_fp32_sum"] = max(st["max_fp32_sum"], abs(r["ll_fp32"] - r["ll"]))
            if bool(dense["greedy"]) == r["greedy"]:
                st["greedy_equal"] += 1
            elif r.get("margin") is not None and abs(r["margin"]) <= 2 * tol:
                st["greedy_near_tie"] += 1
        ref_ll = [x["ll"] for x in ref[i]]
        ref_greedy = [x["greedy"] for x in ref[i]]
        a_ref, an_ref, _, _ = doc_outcome(d, ref_ll, ref_greedy)
        a_cli, an_cli, _, _ = doc_outcome(d, cli_ll, cli_greedy)
        near = d["multiple_choice"] and len(ref_ll) == 2 and abs(ref_ll[0] - ref_ll[1]) <= 2 * tol
        near_norm = (d["multiple_choice"] and len(ref_ll) == 2
                     and abs(ref_ll[0] / d["norm"][0] - ref_ll[1] / d["norm"][1]) <= 2 * tol)
        if a_ref == a_cli:
            st["acc_equal"] += 1
        else:
            st["acc_flips"] += 1
            st["acc_flips_near_tie"] += 1 if near else 0
        if an_ref == an_cli:
            st["acc_norm_equal"] += 1
        else:
            st["acc_norm_flips"] += 1
            st["acc_norm_flips_near_tie"] += 1 if near_norm else 0
        # the CLI's own decisions in its JSON must follow from its loglikelihoods
        cd = e.get("dense", {})
        if "acc" in cd and bool(cd["acc"]) != bool(a_cli):
            problems.append("doc %d: the CLI's acc %r does not follow from its loglikelihoods" % (d["doc"], cd["acc"]))
    return st, problems


# ----------------------------------------------------------------------------------------------
# subprocess helpers
# ----------------------------------------------------------------------------------------------

def run_cmd(argv, timeout):
    t0 = time.perf_counter()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        return dict(rc=r.returncode, stdout=r.stdout, stderr=r.stderr, seconds=time.perf_counter() - t0)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return dict(rc=124, stdout=out, stderr=err + "\n(timed out after %ds)" % timeout,
                    seconds=time.perf_counter() - t0)
    except OSError as e:
        return dict(rc=127, stdout="", stderr="cannot run %s: %s" % (argv[0], e), seconds=time.perf_counter() - t0)


def tail(text, n=1200):
    text = text or ""
    return text if len(text) <= n else "..." + text[-n:]


def cli_eval_argv(cli, model_dir, task, data, limit, device, dtype, batch_size, max_length=None, json_out=None,
                  reduced=False, keep_ratio=0.905):
    argv = [cli, "eval", "--model", model_dir, "--task", task, "--data", data, "--limit", str(limit),
            "--device", device, "--dtype", dtype, "--batch-size", str(batch_size)]
    if max_length is not None:
        argv += ["--max-length", str(max_length)]
    if reduced:
        argv += ["--preset", "depth", "--keep-ratio", repr(keep_ratio)]
    if json_out:
        argv += ["--json", json_out]
    return argv


def check_cli(cli):
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print("error: %s is not an executable file (build it first: bash tools/gpu_run.sh build, or pass --cli)"
              % cli, file=sys.stderr)
        return False
    return True


def check_cli_tokenizer(cli, tokenizer_path, timeout=60):
    """ssmlens-cli built without Qt6 has no tokenizers and cannot run `eval` on text: say so at once.
    Returns None when the CLI tokenizes, else the reason."""
    r = run_cmd([cli, "tokenize", "--tokenizer", tokenizer_path, "--text", "Hello world"], timeout)
    if r["rc"] == 0:
        return None
    return ("`%s tokenize` failed (rc %d): %s -- `eval` needs a build with tokenizers (Qt6 Core and "
            "libsentencepiece found at configure time; see the cmake output)"
            % (cli, r["rc"], tail((r["stderr"] or r["stdout"]).strip(), 400)))


def resolve_inputs(args):
    """tokenizer and data files; returns (tokenizer, {task: path or None}) or raises ValueError."""
    tok = args.tokenizer or first_existing(TOKENIZER_CANDIDATES)
    if not tok or not os.path.isfile(tok):
        raise ValueError("no GPT-NeoX tokenizer.json (give --tokenizer; looked for %s)" % ", ".join(TOKENIZER_CANDIDATES))
    data = {"lambada_openai": args.lambada or first_existing(DATA_CANDIDATES["lambada_openai"]),
            "piqa": args.piqa or first_existing(DATA_CANDIDATES["piqa"])}
    for task, p in data.items():
        if p is not None and not os.path.isfile(p):
            raise ValueError("%s: no such file (for %s)" % (p, task))
    return os.path.abspath(tok), data


# ----------------------------------------------------------------------------------------------
# check: torch parts
# ----------------------------------------------------------------------------------------------

def build_tiny_model(torch, Mamba2Config, Mamba2ForCausalLM, modeling, seed, logit_scale):
    import conformance  # tools/conformance.py: init_parameters
    torch.manual_seed(seed)
    cfg = common.make_hf_config(Mamba2Config, hidden=TINY["hidden"], layers=TINY["layers"], state=TINY["state"],
                                head_dim=TINY["head_dim"], groups=TINY["groups"], chunk=TINY["chunk"],
                                vocab=TINY["vocab"], tied=TINY["tied"])
    model = Mamba2ForCausalLM(cfg).to(dtype=torch.float32, device="cpu").eval()
    notes = conformance.init_parameters(model, TINY, seed + 7, torch)
    # final norm scaled so that logits = norm_f(h) . E_v have std ~ logit_scale (E ~ N(0, 1), d_model terms)
    factor = logit_scale / math.sqrt(TINY["hidden"])
    with torch.no_grad():
        found = False
        for name, p in model.named_parameters():
            if name.endswith("norm_f.weight"):
                p.mul_(factor)
                found = True
        if not found:
            raise RuntimeError("no backbone.norm_f.weight in the model: cannot scale the logits")
    patched = common.hf_patch_mixers_torch_forward(model, modeling)
    if common.hf_mamba2_structure(modeling) == "mixer-methods" and patched != TINY["layers"]:
        notes.append("patched %d mixers to torch_forward, expected %d" % (patched, TINY["layers"]))
    return model, notes


def hf_score(model, torch, inputs, conts, batch_size, device, progress=None):
    """lm-eval's _loglikelihood_tokens over a transformers model. inputs[i]: model input ids, conts[i]:
    continuation ids. -> [dict(ll (fp64 sum), ll_fp32 (lm-eval's fp32 sum), greedy, margin)]."""
    F = torch.nn.functional
    n = len(inputs)
    out = [None] * n
    todo = []
    for i in range(n):
        if not conts[i]:
            out[i] = dict(ll=0.0, ll_fp32=0.0, greedy=True, margin=None)
        else:
            todo.append(i)
    order = sorted(todo, key=lambda i: -len(inputs[i]))  # stable: ties keep request order
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        width = max(len(inputs[i]) for i in idx)
        x = torch.zeros((len(idx), width), dtype=torch.long)
        for r, i in enumerate(idx):
            x[r, :len(inputs[i])] = torch.as_tensor(inputs[i], dtype=torch.long)
        with torch.no_grad():
            o = model(input_ids=x.to(device), use_cache=False)
            logits = o.logits if hasattr(o, "logits") else o[0]
            lsm = F.log_softmax(logits.float(), dim=-1)
            del logits, o
            for r, i in enumerate(idx):
                inplen, contlen = len(inputs[i]), len(conts[i])
                sl = lsm[r, inplen - contlen:inplen]  # [contlen, V]
                tgt = torch.as_tensor(conts[i], dtype=torch.long, device=sl.device)
                picked = sl.gather(1, tgt[:, None]).squeeze(1)
                greedy = bool((sl.argmax(dim=-1) == tgt).all().item())
                top = sl.topk(2, dim=-1)
                first = top.indices[:, 0] == tgt
                margins = torch.where(first, top.values[:, 0] - top.values[:, 1], picked - top.values[:, 0])
                out[i] = dict(ll=float(picked.double().sum().item()), ll_fp32=float(picked.sum().item()),
                              greedy=greedy, margin=float(margins.min().item()))
            del lsm
        if progress:
            progress(min(start + batch_size, len(order)), len(order))
    return out


def recurrence_ll(W, torch, inp, cont):
    """fp64 loglikelihood from the per-timestep recurrence of docs/mamba2.md (tools/conformance.py)."""
    import conformance
    logits = conformance.reference_logits(W, TINY, inp, torch)  # [L, V] fp64
    lsm = torch.log_softmax(logits, dim=-1)
    inplen, contlen = len(inp), len(cont)
    sl = lsm[inplen - contlen:inplen]
    tgt = torch.as_tensor(cont, dtype=torch.long)
    return float(sl.gather(1, tgt[:, None]).sum().item())


def run_check(args):
    common.setup_offline_env()
    try:
        tokenizer_path, data = resolve_inputs(args)
        set_names = common.parse_str_list(args.sets)
        unknown = [s for s in set_names if s not in SETS]
        if unknown:
            raise ValueError("unknown set(s) %s; known: %s" % (unknown, list(SETS)))
        cli_dtypes = common.parse_str_list(args.cli_dtypes)
        if any(d not in ("fp32", "bf16", "fp16") for d in cli_dtypes) or "fp32" not in cli_dtypes:
            raise ValueError("--cli-dtypes: fp32 (required) and optionally bf16, fp16")
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    cli = os.path.abspath(args.cli)
    if not check_cli(cli):
        return 2
    why = check_cli_tokenizer(cli, tokenizer_path)
    if why:
        print("error: %s" % why, file=sys.stderr)
        return 2
    try:
        import torch
    except ImportError as e:
        print("error: this mode needs torch (%s)" % e, file=sys.stderr)
        return 2
    try:
        from tokenizers import Tokenizer
    except ImportError as e:
        print("error: the `tokenizers` package is needed (%s)" % e, file=sys.stderr)
        return 2
    try:
        Mamba2Config, Mamba2ForCausalLM, modeling = common.import_hf_mamba2()
    except ImportError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2

    device = args.hf_device
    notes = []
    if device.startswith("cuda") and not torch.cuda.is_available():
        notes.append("torch sees no CUDA device: transformers runs on the CPU and the CLI with --device cpu")
        device = "cpu"
    cli_device = "cuda" if device.startswith("cuda") else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    try:
        torch.set_float32_matmul_precision("highest")
    except Exception:
        pass

    path_before = common.hf_path_description(modeling)
    changed = common.hf_force_torch_path(modeling)
    path_after = common.hf_path_description(modeling)

    # ---- sets
    sets = []
    for name in set_names:
        task, origin = SETS[name]
        path = os.path.join(REPO_ROOT, SAMPLES[task]) if origin == "samples" else data[task]
        sets.append(dict(name=name, task=task, path=path))

    # ---- tokenizer
    tok = Tokenizer.from_file(tokenizer_path)
    eot = None
    for nm in EOT_NAMES:
        eot = tok.token_to_id(nm)
        if eot is not None:
            notes.append("end-of-text token %s = id %d (lm-eval's prefix token for an empty context: the "
                         "tokenizer's BOS, which is the same <|endoftext|> for GPT-NeoX)" % (nm, eot))
            break
    if eot is None:
        print("error: %s has no end-of-text token" % tokenizer_path, file=sys.stderr)
        return 2
    cache = {}

    def encode(text):
        ids = cache.get(text)
        if ids is None:
            ids = tok.encode(text, add_special_tokens=False).ids
            cache[text] = ids
        return list(ids)

    # transformers' own tokenizer class over the same file, as lm-eval's AutoTokenizer would load it
    hf_tok = None
    hf_tok_note = ""
    try:
        from transformers import PreTrainedTokenizerFast
        hf_tok = PreTrainedTokenizerFast(tokenizer_file=tokenizer_path)
    except Exception as e:  # informational only
        hf_tok_note = "transformers' PreTrainedTokenizerFast could not load the file (%s: %s)" % (type(e).__name__, e)

    # ---- model
    t0 = time.time()
    model, init_notes = build_tiny_model(torch, Mamba2Config, Mamba2ForCausalLM, modeling, args.seed,
                                         args.logit_scale)
    notes += init_notes
    own_tmp = args.workdir is None
    workdir = args.workdir or tempfile.mkdtemp(prefix="ssmlens-evalconf-")
    os.makedirs(workdir, exist_ok=True)
    model_dir = os.path.join(workdir, "model")
    if os.path.isdir(model_dir):
        shutil.rmtree(model_dir)
    os.makedirs(model_dir)
    common.hf_save_pretrained(model, model_dir)
    shutil.copyfile(tokenizer_path, os.path.join(model_dir, "tokenizer.json"))
    W = None
    if args.recurrence_check > 0:
        import conformance
        W = conformance.normalized_weights(model, torch)
    model = model.to(device)
    print("model written to %s in %.1fs" % (model_dir, time.time() - t0), file=sys.stderr)

    failures = []
    report = common.run_header("SSM Lens eval conformance: ssmlens-cli eval vs lm-eval v0.4 conventions over "
                               "transformers' Mamba-2", [
        "CLI: `%s` (--device %s, batch size %d, max length %d)" % (cli, cli_device, args.batch_size, args.max_length),
        "reference: transformers Mamba2ForCausalLM in fp32 on %s (TF32 off). As imported: %s. Changes: %s. Now: %s."
        % (device, path_before, "; ".join(changed) or "none needed", path_after),
        "model: random, d_model %d, %d layers, d_state %d, head_dim %d, ngroups %d, chunk %d, vocab %d, tied head, "
        "seed %d, logit std ~%g" % (TINY["hidden"], TINY["layers"], TINY["state"], TINY["head_dim"], TINY["groups"],
                                    TINY["chunk"], TINY["vocab"], args.seed, args.logit_scale),
        "tokenizer: %s (tokenizers %s)" % (tokenizer_path, _version("tokenizers")),
        "goal: max |ll_cli - ll_ref| <= %g per request in fp32" % args.tol,
    ] + notes)

    # ---- requests
    for s in sets:
        if s["path"] is None or not os.path.isfile(s["path"]):
            s["error"] = "data file not found (copy it into .carry/ or pass --lambada / --piqa)"
            failures.append("%s: %s" % (s["name"], s["error"]))
            continue
        docs = task_docs(s["task"], s["path"])
        s["total"] = len(docs)
        docs = docs[:args.limit] if args.limit >= 0 else docs
        tokens, flat_inp, flat_cont, flat_key = [], [], [], []
        enc_notes = set()
        for i, d in enumerate(docs):
            row = []
            for k, (ctx, cont) in enumerate(d["requests"]):
                c_ids, k_ids, note = encode_pair(encode, eot, ctx, cont)
                if note:
                    enc_notes.add(note)
                inp = model_input(c_ids, k_ids, args.max_length)
                row.append((c_ids, k_ids, inp))
                flat_inp.append(inp)
                flat_cont.append(k_ids)
                flat_key.append((i, k))
            tokens.append(row)
        s.update(docs=docs, tokens=tokens, flat_inp=flat_inp, flat_cont=flat_cont, flat_key=flat_key,
                 enc_notes=sorted(enc_notes))
        if hf_tok is not None:
            try:
                differ = 0
                for d in docs:
                    for ctx, cont in d["requests"]:
                        for text in (ctx, ctx + cont):
                            if list(hf_tok.encode(text, add_special_tokens=False)) != encode(text):
                                differ += 1
                s["hf_tok_differ"] = differ
            except Exception as e:  # informational only
                hf_tok_note = "transformers' tokenizer failed to encode (%s: %s)" % (type(e).__name__, e)
                hf_tok = None

    # ---- the CLI runs, in the background while transformers scores
    jobs = []
    for s in sets:
        if "error" in s:
            continue
        for dt in cli_dtypes:
            out_json = os.path.join(workdir, "%s-%s.json" % (s["name"], dt))
            argv = cli_eval_argv(cli, model_dir, s["task"], s["path"], args.limit if args.limit >= 0 else s["total"],
                                 cli_device, dt, args.batch_size, args.max_length, out_json)
            jobs.append((s, dt, out_json, argv))
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    futures = [(s, dt, out_json, argv, pool.submit(run_cmd, argv, args.timeout)) for s, dt, out_json, argv in jobs]

    for s in sets:
        if "error" in s:
            continue
        t0 = time.time()
        flat = hf_score(model, torch, s["flat_inp"], s["flat_cont"], args.batch_size, device)
        ref = [[None] * len(d["requests"]) for d in s["docs"]]
        for (i, k), r in zip(s["flat_key"], flat):
            ref[i][k] = r
        s["ref"] = ref
        s["ref_seconds"] = time.time() - t0
        print("%s: transformers scored %d requests in %.1fs" % (s["name"], len(flat), s["ref_seconds"]),
              file=sys.stderr)
        if W is not None:
            picks = [j for j in range(len(s["flat_key"])) if s["flat_cont"][j]][:args.recurrence_check]
            s["rec"] = [(s["flat_key"][j], recurrence_ll(W, torch, s["flat_inp"][j], s["flat_cont"][j])) for j in picks]

    cli_results = {}
    cli_rows = []
    for s, dt, out_json, argv, fut in futures:
        r = fut.result()
        ok = r["rc"] == 0 and os.path.isfile(out_json)
        cli_rows.append([s["name"], dt, r["rc"], "%.1f" % r["seconds"], "`%s`" % " ".join(
            os.path.basename(a) if a == cli else a for a in argv[1:])])
        if not ok:
            failures.append("%s %s: the CLI failed (rc %d): %s" % (s["name"], dt, r["rc"], tail(r["stderr"] or r["stdout"])))
            continue
        try:
            cli_results[(s["name"], dt)] = load_cli_result(out_json)
        except Exception as e:
            failures.append("%s %s: cannot read the CLI's JSON: %s" % (s["name"], dt, e))
    pool.shutdown()

    # ---- compare
    rows, metric_rows, rec_rows, detail = [], [], [], []
    results = dict(sets=[], failures=failures)
    for s in sets:
        if "error" in s:
            rows.append([s["name"], s["task"], "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "not run: " + s["error"]])
            continue
        for dt in cli_dtypes:
            cli_r = cli_results.get((s["name"], dt))
            if cli_r is None:
                rows.append([s["name"], dt, len(s["docs"]), "-", "-", "-", "-", "-", "-", "-", "-", "-", "CLI failed"])
                continue
            st, problems = compare_set(s["docs"], s["tokens"], s["ref"], cli_r, args.tol)
            gate = dt == "fp32"
            enc_ok = st["strings_equal"] == st["requests"] and st["tokens_equal"] == st["requests"]
            ll_ok = st["max_abs"] <= args.tol
            complete = st["compared"] == len(s["docs"]) and st["cli_examples"] == len(s["docs"])
            if gate:
                status = "PASS" if (enc_ok and ll_ok and complete and not problems) else "FAIL"
                if status == "FAIL":
                    why = []
                    if not enc_ok:
                        why.append("requests/tokens differ")
                    if not ll_ok:
                        why.append("max |diff| %.2e > %g" % (st["max_abs"], args.tol))
                    if not complete:
                        why.append("examples missing")
                    failures.append("%s fp32: %s%s" % (s["name"], "; ".join(why) or "problems",
                                                      (": " + "; ".join(problems[:5])) if problems else ""))
            else:
                status = "info"
            flips = st["acc_flips"]
            rows.append([s["name"], dt, st["examples"], st["requests"],
                         "%d/%d" % (st["strings_equal"], st["requests"]), "%d/%d" % (st["tokens_equal"], st["requests"]),
                         common.fmt_sci(st["max_abs"]), common.fmt_sci(st["max_rel"]), common.fmt_sci(st["max_per_token"]),
                         "%.4f" % (st["greedy_equal"] / max(1, st["requests"])),
                         "%.4f" % (st["acc_equal"] / max(1, st["compared"])) + (
                             " (%d flips, %d near ties)" % (flips, st["acc_flips_near_tie"]) if flips else ""),
                         ("%.4f" % (st["acc_norm_equal"] / max(1, st["compared"])) + (
                             " (%d flips, %d near ties)" % (st["acc_norm_flips"], st["acc_norm_flips_near_tie"])
                             if st["acc_norm_flips"] else "")) if s["task"] == "piqa" else "-",
                         status])
            if st["worst"]:
                w = st["worst"]
                detail.append("%s %s: largest difference at doc %d choice %d (%d continuation tokens): CLI %.9g, "
                              "reference %.9g; lm-eval's fp32 sum differs from the fp64 sum by up to %s"
                              % (s["name"], dt, w["doc"], w["choice"], w["tokens"], w["cli"], w["ref"],
                                 common.fmt_sci(st["max_fp32_sum"])))
            for p in problems[:10]:
                detail.append("%s %s: %s" % (s["name"], dt, p))
            # metrics
            ref_scores = [[(x["ll"], x["greedy"]) for x in row] for row in s["ref"]]
            ref_m = task_metrics(s["docs"], ref_scores)
            cm = cli_metrics(cli_r)
            for m, v in ref_m.items():
                c = cm.get(m)
                metric_rows.append([s["name"], dt, m, "%.6g" % v, "-" if c is None else "%.6g" % c,
                                    "-" if c is None else common.fmt_sci(c - v)])
            # recurrence
            if dt == "fp32" and s.get("rec"):
                by = {(e["doc"], k): ch["dense"]["ll"] for e in cli_r["examples"] for k, ch in enumerate(e["choices"])}
                m_cli = m_hf = 0.0
                for (i, k), rec in s["rec"]:
                    c = by.get((s["docs"][i]["doc"], k))
                    if c is not None:
                        m_cli = max(m_cli, abs(c - rec))
                    m_hf = max(m_hf, abs(s["ref"][i][k]["ll"] - rec))
                rec_rows.append([s["name"], len(s["rec"]), common.fmt_sci(m_cli), common.fmt_sci(m_hf)])
            results["sets"].append(dict(name=s["name"], task=s["task"], dtype=dt, path=s["path"], status=status,
                                        total_examples=s.get("total"), reference_metrics=ref_m, cli_metrics=cm,
                                        **{k: v for k, v in st.items()}))

    report.append("## Sets")
    report.append("")
    set_rows = []
    for s in sets:
        set_rows.append([s["name"], s["task"], s["path"] or "(missing)",
                         "%d of %s" % (len(s.get("docs", [])), s.get("total", "?")),
                         "; ".join(s.get("enc_notes", [])) or "-",
                         ("%d texts differ" % s["hf_tok_differ"]) if "hf_tok_differ" in s else (hf_tok_note or "-")])
    report.append(common.md_table(["set", "task", "file", "examples", "encoding notes",
                                   "transformers' tokenizer vs tokenizers"], set_rows))
    report.append("")
    report.append("## Per-request loglikelihoods: ssmlens-cli eval vs the lm-eval reference")
    report.append("")
    report.append(common.md_table(["set", "CLI dtype", "examples", "requests", "strings equal", "token counts equal",
                                   "max abs diff", "max rel diff", "max diff / token", "greedy equal", "acc equal",
                                   "acc_norm equal", "status"], rows))
    report.append("")
    report.append("max abs diff: max over requests of |ll_cli - ll_ref| (ll = sum over the continuation tokens); "
                  "rel: that over |ll_ref|; per token: over the number of continuation tokens. Near tie: the "
                  "reference's two loglikelihoods are within 2 x tol. fp32 rows must be within the goal; "
                  "bf16 rows are informational.")
    report.append("")
    if detail:
        report += ["- " + d for d in detail]
        report.append("")
    report.append("## Metrics (reference computed here from its own loglikelihoods; CLI from its summary)")
    report.append("")
    report.append(common.md_table(["set", "CLI dtype", "metric", "reference", "CLI", "CLI - reference"], metric_rows))
    report.append("")
    if rec_rows:
        report.append("## fp64 recurrence cross-check (first requests of each set)")
        report.append("")
        report.append(common.md_table(["set", "requests", "max |CLI fp32 - recurrence|",
                                       "max |transformers fp32 - recurrence|"], rec_rows))
        report.append("")
    report.append("## CLI runs")
    report.append("")
    report.append(common.md_table(["set", "dtype", "rc", "seconds", "arguments"], cli_rows))
    report.append("")
    report.append("## Result")
    report.append("")
    if failures:
        report.append("**FAIL**")
        report.append("")
        report += ["- " + f for f in failures]
    else:
        report.append("**PASS**: every fp32 set within max |diff| <= %g, identical requests and token counts."
                      % args.tol)
    report.append("")

    text = "\n".join(report)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, default=str)
    if own_tmp and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print("kept %s" % workdir, file=sys.stderr)
    return 1 if failures else 0


def _version(name):
    try:
        import importlib
        return getattr(importlib.import_module(name), "__version__", "?")
    except Exception:
        return "not importable"


# ----------------------------------------------------------------------------------------------
# bench
# ----------------------------------------------------------------------------------------------

def bench_rates(n, t_n, t_1):
    """examples/s from the two runs; None when the difference is not positive."""
    dt = t_n - t_1
    return (n - 1) / dt if (n > 1 and dt > 0) else None


def run_bench(args):
    common.setup_offline_env()
    try:
        tokenizer_path, data = resolve_inputs(args)
        tasks = common.parse_str_list(args.bench_tasks)
        dtypes = common.parse_str_list(args.bench_dtypes)
        modes = common.parse_str_list(args.bench_modes)
        if any(t not in DATA_CANDIDATES for t in tasks):
            raise ValueError("--bench-tasks: lambada_openai and/or piqa")
        if any(m not in ("dense", "reduced") for m in modes):
            raise ValueError("--bench-modes: dense and/or reduced")
        if any(d not in ("fp32", "bf16", "fp16") for d in dtypes):
            raise ValueError("--bench-dtypes: fp32, bf16, fp16")
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    cli = os.path.abspath(args.cli)
    if not check_cli(cli):
        return 2
    why = check_cli_tokenizer(cli, tokenizer_path)
    if why:
        print("error: %s" % why, file=sys.stderr)
        return 2
    failures = []
    model_dir = args.model_dir
    t0 = time.time()
    made = "existing folder"
    if not os.path.isfile(os.path.join(model_dir, "config.json")):
        made = "made now"
        r = run_cmd([cli, "random-model", "--size", args.bench_size, "--seed", str(args.seed), "--out", model_dir],
                    args.timeout)
        if r["rc"] != 0:
            print("error: random-model failed: %s" % tail(r["stderr"]), file=sys.stderr)
            return 1
    shutil.copyfile(tokenizer_path, os.path.join(model_dir, "tokenizer.json"))
    make_s = time.time() - t0
    device = args.bench_device
    report = common.run_header("SSM Lens eval throughput: ssmlens-cli eval, random %s weights" % args.bench_size, [
        "CLI: `%s`" % cli,
        "model: `ssmlens-cli random-model --size %s --seed %d --out %s` (%s, %.1fs) + GPT-NeoX tokenizer.json"
        % (args.bench_size, args.seed, model_dir, made, make_s),
        "runs: `ssmlens-cli eval --model DIR --task T --data FILE --limit N --device %s --dtype D --batch-size %d "
        "[--preset depth --keep-ratio %g]`; N = %d, and N = 1 for the start-up baseline; %d repetition(s), "
        "fastest taken" % (device, args.batch_size, args.keep_ratio, args.bench_limit, args.reps),
        "examples/s = (N - 1) / (wall(N) - wall(1)); reduced pass alone = (N - 1) / (the reduced run's "
        "difference - the dense run's)",
    ])
    # warm-up: the first CUDA process on a fresh machine pays for loading the driver and libraries
    warm_task = tasks[0]
    if data.get(warm_task):
        w = run_cmd(cli_eval_argv(cli, model_dir, warm_task, data[warm_task], 1, device, dtypes[0], args.batch_size),
                    args.timeout)
        report.append("warm-up run: rc %d, %.1fs" % (w["rc"], w["seconds"]))
        report.append("")
    runs = {}
    raw_rows = []
    tmp = tempfile.mkdtemp(prefix="ssmlens-evalbench-")
    for task in tasks:
        path = data.get(task)
        if not path:
            failures.append("%s: data file not found" % task)
            continue
        for dt in dtypes:
            for mode in modes:
                key = (task, dt, mode)
                reduced = mode == "reduced"
                out_json = os.path.join(tmp, "%s-%s-%s.json" % key)
                t_1 = t_n = None
                rc = 0
                err = ""
                for _ in range(max(1, args.reps)):
                    r1 = run_cmd(cli_eval_argv(cli, model_dir, task, path, 1, device, dt, args.batch_size,
                                               reduced=reduced, keep_ratio=args.keep_ratio), args.timeout)
                    rn = run_cmd(cli_eval_argv(cli, model_dir, task, path, args.bench_limit, device, dt, args.batch_size,
                                               json_out=out_json, reduced=reduced, keep_ratio=args.keep_ratio),
                                 args.timeout)
                    if r1["rc"] != 0 or rn["rc"] != 0:
                        rc = r1["rc"] or rn["rc"]
                        err = tail((r1["stderr"] if r1["rc"] else rn["stderr"]) or "", 600)
                        break
                    t_1 = r1["seconds"] if t_1 is None else min(t_1, r1["seconds"])
                    t_n = rn["seconds"] if t_n is None else min(t_n, rn["seconds"])
                if rc != 0:
                    failures.append("%s %s %s: rc %d: %s" % (task, dt, mode, rc, err))
                    raw_rows.append([task, dt, mode, "-", "-", "-", "-", "rc %d" % rc])
                    continue
                res = load_cli_result(out_json)
                n = res["summary"]["examples"]
                reqs = sum(len(e["choices"]) for e in res["examples"])
                toks = sum(c["dense"]["input_tokens"] for e in res["examples"] for c in e["choices"])
                runs[key] = dict(n=n, requests=reqs, tokens=toks, t_1=t_1, t_n=t_n, summary=res["summary"])
                raw_rows.append([task, dt, mode, n, reqs, "%.2f" % t_1, "%.2f" % t_n,
                                 common.fmt_num(bench_rates(n, t_n, t_1))])
                print("%s %s %s: N=%d %.2fs, N=1 %.2fs" % (task, dt, mode, n, t_n, t_1), file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)

    rows = []
    for task in tasks:
        for dt in dtypes:
            d = runs.get((task, dt, "dense"))
            r = runs.get((task, dt, "reduced"))
            if not d and not r:
                continue
            base = d or r
            n = base["n"]
            dense_rate = bench_rates(n, d["t_n"], d["t_1"]) if d else None
            both_rate = bench_rates(n, r["t_n"], r["t_1"]) if r else None
            red_only = None
            if d and r:
                extra = (r["t_n"] - r["t_1"]) - (d["t_n"] - d["t_1"])
                red_only = (n - 1) / extra if extra > 0 else None
            tok_rate = None
            if d and dense_rate:
                tok_rate = d["tokens"] * dense_rate / n
            summ = r["summary"] if r else None
            acc = None
            for m in (summ or base["summary"])["metrics"]:
                if m["metric"] == "acc":
                    acc = m
            rows.append([task, dt, n, base["requests"], "%.1f" % (base["tokens"] / max(1, base["requests"])),
                         common.fmt_num(dense_rate), common.fmt_num(tok_rate), common.fmt_num(both_rate),
                         common.fmt_num(red_only),
                         "%.1f" % (n / d["t_n"]) if d else "-",
                         "%.1f / %.1f / %.1f" % (summ["token_reduction_pct"], summ["measured_token_reduction_pct"],
                                                 summ["flops_reduction_pct"]) if summ else "-",
                         ("%.3f / %.3f" % (acc["dense"], acc["reduced"]) if (summ and acc and acc.get("reduced") is not None)
                          else ("%.3f" % acc["dense"] if acc and acc.get("dense") is not None else "-"))])
    report.append("## Examples per second")
    report.append("")
    report.append(common.md_table(["task", "dtype", "examples", "requests", "mean input tokens", "dense ex/s",
                                   "dense input tok/s", "dense+reduced run ex/s", "reduced pass ex/s (est.)",
                                   "dense ex/s incl. start-up", "reduction % (tokens / measured / FLOPs)",
                                   "acc (dense / reduced)"], rows))
    report.append("")
    report.append("Random weights: the accuracies mean nothing; they are shown to confirm both passes ran.")
    report.append("")
    report.append("## Raw timings (wall seconds of the whole process)")
    report.append("")
    report.append(common.md_table(["task", "dtype", "mode", "examples", "requests", "wall N=1 s", "wall N s",
                                   "ex/s"], raw_rows))
    report.append("")
    if failures:
        report.append("**Failures**")
        report.append("")
        report += ["- " + f for f in failures]
        report.append("")
    text = "\n".join(report)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"%s/%s/%s" % k: v for k, v in runs.items()}, f, indent=1, default=str)
    return 1 if failures else 0


# ----------------------------------------------------------------------------------------------
# self-test (no torch, no tokenizers)
# ----------------------------------------------------------------------------------------------

def self_test():
    ok = True

    def check(cond, what):
        nonlocal ok
        print(("ok   " if cond else "FAIL ") + what)
        ok = ok and cond

    # a toy tokenizer: words with their leading space, like GPT-NeoX's pre-tokenizer
    import re

    def enc(text):
        return [hash(p) % 1000 + 1 for p in re.findall(r" ?[^ ]+| +(?! )| +", text)]

    c, k, note = encode_pair(enc, 0, "Question: a\nAnswer:", " b c")
    check(c == enc("Question: a\nAnswer:") and k == enc(" b c") and note == "", "encode_pair: plain")
    c, k, note = encode_pair(enc, 0, "the cat ", "sat")
    check(c == enc("the cat") and k == enc("the cat sat")[len(enc("the cat")):], "encode_pair: trailing space moves")
    c, k, note = encode_pair(enc, 7, "", " word")
    check(c == [7] and k == enc(" word") and note, "encode_pair: empty context -> eot")
    c, k, note = encode_pair(enc, 7, "  ", "x")
    check(c == [7] and k == enc("  x"), "encode_pair: whitespace-only context -> eot")
    check(model_input([1, 2, 3], [4, 5], 2048) == [1, 2, 3, 4], "model_input")
    check(model_input([1, 2, 3], [4, 5], 3) == [2, 3, 4], "model_input truncates on the left")
    tmp = tempfile.mkdtemp(prefix="evalconf-selftest-")
    try:
        p = os.path.join(tmp, "lambada_test.jsonl")
        with open(p, "w") as f:
            f.write(json.dumps({"text": "he said\nthat it was  fine"}) + "\n\n" + json.dumps({"text": "single"}) + "\n")
        docs = lambada_docs(p)
        check(docs[0]["requests"] == [("he said\nthat it was ", " fine")], "lambada split at the last plain space")
        check(docs[1]["requests"] == [("", " single")] and docs[1]["doc"] == 1, "lambada: no space, blank line skipped")
        q = os.path.join(tmp, "valid.jsonl")
        with open(q, "w") as f:
            f.write(json.dumps({"goal": "g", "sol1": "a b", "sol2": "\u00e9"}) + "\n")
        with open(os.path.join(tmp, "valid-labels.lst"), "w") as f:
            f.write("1\n")
        docs = piqa_docs(q)
        check(docs[0]["requests"] == [("Question: g\nAnswer:", " a b"), ("Question: g\nAnswer:", " \u00e9")]
              and docs[0]["gold"] == 1 and docs[0]["norm"] == [3.0, 1.0], "piqa requests, gold, len(choice)")
        a, an, pred, pn = doc_outcome(docs[0], [-5.0, -4.0], [False, False])
        check(a and not an and pred == 1 and pn == 0, "doc_outcome acc / acc_norm")
        check(first_argmax([1.0, 1.0]) == 0, "first argmax on a tie")
        m = task_metrics(docs, [[(-5.0, False), (-4.0, False)]])
        check(m == {"acc": 1.0, "acc_norm": 0.0}, "task_metrics piqa")
        ldocs = lambada_docs(p)
        m = task_metrics(ldocs, [[(-2.0, True)], [(-4.0, False)]])
        check(abs(m["perplexity"] - math.exp(3.0)) < 1e-12 and m["acc"] == 0.5, "task_metrics lambada")
        # compare_set against a synthetic CLI result
        toks = [[(enc(r[0]) or [0], enc(r[1]), model_input(enc(r[0]) or [0], enc(r[1]), 2048))
                 for r in d["requests"]] for d in docs]
        ref = [[dict(ll=-5.0, ll_fp32=-5.0, greedy=False, margin=-1.0),
                dict(ll=-4.0, ll_fp32=-4.0, greedy=False, margin=-1.0)]]
        cli = {"examples": [{"doc": 0, "gold": 1, "dense": {"acc": True},
                             "choices": [{"context": d["requests"][k][0], "continuation": d["requests"][k][1],
                                          "context_tokens": len(toks[0][k][0]), "continuation_tokens": len(toks[0][k][1]),
                                          "dense": {"ll": ref[0][k]["ll"] + 3e-5, "greedy": False,
                                                    "input_tokens": len(toks[0][k][2]),
                                                    "scored_tokens": len(toks[0][k][1])}}
                                         for k in range(2)]} for d in docs]}
        st, problems = compare_set(docs, toks, ref, cli, 1e-4)
        check(not problems and st["strings_equal"] == 2 and st["tokens_equal"] == 2
              and abs(st["max_abs"] - 3e-5) < 1e-12 and st["acc_equal"] == 1, "compare_set: equal within tol")
        cli["examples"][0]["choices"][1]["dense"]["ll"] = -6.0
        st, problems = compare_set(docs, toks, ref, cli, 1e-4)
        check(st["acc_flips"] == 1 and st["max_abs"] > 1 and problems, "compare_set: a flip is seen")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    check(bench_rates(500, 10.0, 2.0) == 499 / 8.0 and bench_rates(1, 1.0, 1.0) is None, "bench_rates")
    print("self-test: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the top of this file for the details.")
    ap.add_argument("mode", nargs="?", default="check", choices=["check", "bench", "self-test"])
    ap.add_argument("--cli", default=common.DEFAULT_CLI, help="path of ssmlens-cli (default %(default)s)")
    ap.add_argument("--out", help="also write the Markdown report to this file")
    ap.add_argument("--json", help="write the numbers as JSON to this file")
    ap.add_argument("--tokenizer", help="GPT-NeoX-20B tokenizer.json (default: looked for in .carry/, shared/data/)")
    ap.add_argument("--lambada", help="lambada_test.jsonl (default: .carry/lambada_openai/, .carry/, shared/data)")
    ap.add_argument("--piqa", help="PIQA valid.jsonl, valid-labels.lst beside it (default: .carry/piqa/, ...)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--batch-size", type=int, default=32, help="CLI --batch-size and the reference's (default 32)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per CLI call (default %(default)s)")
    # check
    ap.add_argument("--sets", default="samples-lambada,samples-piqa,lambada,piqa")
    ap.add_argument("--limit", type=int, default=200, help="first N examples of each file (default %(default)s)")
    ap.add_argument("--max-length", type=int, default=2048)
    ap.add_argument("--tol", type=float, default=1e-4, help="fp32 max abs loglikelihood difference (default 1e-4)")
    ap.add_argument("--cli-dtypes", default="fp32", help="fp32 (gated) and optionally bf16 (informational)")
    ap.add_argument("--hf-device", default="cuda", help="where transformers runs (default cuda)")
    ap.add_argument("--logit-scale", type=float, default=2.5, help="target std of the tiny model's logits")
    ap.add_argument("--recurrence-check", type=int, default=8,
                    help="requests per set also scored by the fp64 recurrence (0: none; default 8)")
    ap.add_argument("--jobs", type=int, default=4, help="CLI processes at a time in check (default 4)")
    ap.add_argument("--workdir", help="where the model folder and CLI results go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    # bench
    ap.add_argument("--bench-size", default="130m")
    ap.add_argument("--model-dir", default="/tmp/m130", help="random model folder for bench (made if missing)")
    ap.add_argument("--bench-tasks", default="lambada_openai,piqa")
    ap.add_argument("--bench-dtypes", default="bf16,fp32")
    ap.add_argument("--bench-modes", default="dense,reduced")
    ap.add_argument("--bench-limit", type=int, default=500)
    ap.add_argument("--bench-device", default="cuda")
    ap.add_argument("--keep-ratio", type=float, default=0.905)
    ap.add_argument("--reps", type=int, default=1)
    args = ap.parse_args()
    if args.mode == "self-test":
        return self_test()
    if args.mode == "bench":
        return run_bench(args)
    return run_check(args)


if __name__ == "__main__":
    sys.exit(main())
