#!/usr/bin/env python3
"""torch_save_compat.py: does our own torch.save reader (core/io/ZipArchive, TorchPickle, TorchStateDictFile;
libtorch's unpickler is no longer used) read what real PyTorch writes?

For the c1 model of tools/conformance.py (random transformers Mamba-2, non-trivial weights) it writes the
state-spaces layout with real torch.save in the variants a user's checkpoint may come in:
    ordered      torch.save(model.state_dict()): an OrderedDict carrying _metadata (pickle BUILD)
    views        every 2-d weight saved as a transposed view of its transpose (strides (1, rows)), and the
                 norms as views at an offset into one shared storage
    bf16         the matrices in bfloat16 (the loader converts them back to fp32)
    zip64        the ordered dict plus a 4.2 GiB tensor the model does not use, so the archive needs zip64
                 (tensors stored after it sit beyond 4 GiB); the loader warns about the extra tensor
then runs `ssmlens-cli logits` (cpu, fp32) on each and compares with transformers' forward (fp32, pure PyTorch)
on the same weights (the bf16 variant with the bf16-rounded weights). Writes a Markdown report; exit 1 when a
variant fails to load or differs by more than --tol (1e-4, relative).

    python3 tools/device/torch_save_compat.py --cli build-gpu/bin/ssmlens-cli --out $OUT/torch_save_compat.md
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import conformance  # noqa: E402
import hf_mamba2_common as common  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=common.DEFAULT_CLI)
    ap.add_argument("--out", default="torch_save_compat.md")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--skip-zip64", action="store_true", help="leave out the 4.2 GiB archive")
    args = ap.parse_args()
    common.setup_offline_env()
    import numpy as np
    import torch
    Mamba2Config, Mamba2ForCausalLM, modeling = common.import_hf_mamba2()

    case = conformance.CASES[0]
    torch.manual_seed(5)
    cfg = common.make_hf_config(Mamba2Config, hidden=case["hidden"], layers=case["layers"], state=case["state"],
                                head_dim=case["head_dim"], groups=case["groups"], chunk=case["chunk"],
                                vocab=case["vocab"], tied=case["tied"], use_bias=False,
                                time_step_limit=(0.0, float("inf")))
    model = Mamba2ForCausalLM(cfg).to(dtype=torch.float32, device="cpu").eval()
    conformance.init_parameters(model, case, 12, torch)
    common.hf_patch_mixers_torch_forward(model, modeling)
    ids = [int(i) for i in torch.randint(case["vocab"], (37,), generator=torch.Generator().manual_seed(3))]

    def renamed(sd):
        out = collections.OrderedDict()
        for k, v in sd.items():
            out["backbone.embedding.weight" if k == "backbone.embeddings.weight" else k] = v
        if hasattr(sd, "_metadata"):
            out._metadata = sd._metadata
        return out

    def variant(name):
        sd = renamed(model.state_dict())
        if name == "views":
            norms = [k for k in sd if k.endswith("norm.weight")]
            shared = torch.cat([sd[k].flatten() for k in norms])
            at = 0
            for k in list(sd):
                t = sd[k]
                if k in norms:
                    n = t.numel()
                    sd[k] = shared[at:at + n].view(t.shape)
                    at += n
                elif t.dim() == 2:
                    sd[k] = t.t().contiguous().t()  # same values, strides (1, rows)
        elif name == "bf16":
            for k in sd:
                if sd[k].dim() >= 2:
                    sd[k] = sd[k].to(torch.bfloat16)
        elif name == "zip64":
            sd["unused.padding"] = torch.zeros(int(4.2 * (1 << 30)), dtype=torch.uint8)
            sd.move_to_end("unused.padding", last=False)  # first, so every model tensor lies beyond 4 GiB
        return sd

    def reference(sd):
        ref_model = Mamba2ForCausalLM(cfg).to(dtype=torch.float32).eval()
        common.hf_patch_mixers_torch_forward(ref_model, modeling)
        state = {("backbone.embeddings.weight" if k == "backbone.embedding.weight" else k): v.to(torch.float32)
                 for k, v in sd.items() if k != "unused.padding"}
        if case["tied"]:
            state["lm_head.weight"] = state["backbone.embeddings.weight"]
        ref_model.load_state_dict(state, strict=False)
        return conformance.hf_logits(ref_model, ids, torch).numpy()

    names = ["ordered", "views", "bf16"] + ([] if args.skip_zip64 else ["zip64"])
    rows, failed = [], False
    work = tempfile.mkdtemp(prefix="torch-save-compat-")
    try:
        for name in names:
            folder = os.path.join(work, name)
            os.makedirs(folder)
            with open(os.path.join(folder, "config.json"), "w") as f:
                json.dump(conformance.ss_config(case), f)
            sd = variant(name)
            t0 = time.time()
            torch.save(sd, os.path.join(folder, "pytorch_model.bin"))
            save_s = time.time() - t0
            size = os.path.getsize(os.path.join(folder, "pytorch_model.bin"))
            ref = reference(sd)
            out = os.path.join(folder, "logits.npy")
            r = conformance.run_cli([args.cli, "logits", "--model", folder, "--ids", ",".join(map(str, ids)),
                                     "--out", out, "--device", "cpu", "--dtype", "fp32"], timeout=600)
            if r["rc"] != 0:
                failed = True
                rows.append([name, "%.2f GiB" % (size / (1 << 30)), "FAILED rc %d" % r["rc"],
                             r["stderr"].strip().splitlines()[-1][:200] if r["stderr"].strip() else "", ""])
            else:
                c = conformance.compare(np.load(out), ref, np)
                ok = c["rel"] <= args.tol and c["finite"]
                failed |= not ok
                warn = " / ".join(line for line in r["stderr"].splitlines() if line.startswith("warning"))[:160]
                rows.append([name, "%.2f GiB" % (size / (1 << 30)), "ok" if ok else "DIFFERS",
                             "rel %.2e, top-1 %.3f, load+run %.1f s (save %.1f s)" % (c["rel"], c["top1"],
                                                                                    r["seconds"], save_s), warn])
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        f.write("\n".join(common.run_header("torch.save files read by ssmlens-cli (our zip + pickle reader)")) + "\n\n")
        f.write("Model: conformance case c1 (%s), ids: 37 random tokens; torch %s.\n\n" % (case["note"], torch.__version__))
        f.write(common.md_table(["variant", "file", "result", "against transformers (fp32)", "loader warnings"], rows))
        f.write("\n")
    print(open(args.out).read())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
