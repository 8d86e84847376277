#!/usr/bin/env bash
# train_demo_model.sh: trains the bundled demo model (resources/demo-model) on the GPU machine.
#
#   bash tools/train_demo_model.sh [SECONDS]      (default 330 seconds of training)
#
# Needs build-gpu/bin/ssmlens-cli (bash tools/gpu_run.sh build) and, in .carry/corpus/, the corpus encoded
# with the demo tokenizer (tools/corpus/build_corpus.sh, train_tokenizer.sh, then on the CPU machine:
#   ssmlens-cli encode-corpus --tokenizer build/corpus/tokenizer.model --input build/corpus/train.txt --out .carry/corpus/train.npy
#   ssmlens-cli encode-corpus --tokenizer build/corpus/tokenizer.model --input build/corpus/heldout.txt --out .carry/corpus/heldout.npy
#   cp build/corpus/tokenizer.model .carry/corpus/).
# It measures the speed with a 30-update probe, then sizes the cosine schedule to end after SECONDS of
# training, so the learning rate is fully annealed in the time given. The shape and hyper-parameters below
# are the ones the shipped model was trained with (docs/demo-model.md). A run cut short by the time limit
# resumes from build-gpu/demo-train/checkpoint when called again with the same steps (STEPS=N).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_BUDGET="${1:-330}"
OUT="${OUT:-out}"
CLI=build-gpu/bin/ssmlens-cli
SHAPE=(--d-model 384 --layers 16 --d-state 64 --headdim 64 --expand 2 --chunk-size 128)
HP=(--batch 32 --seq-len 512 --lr 3e-3 --min-lr 3e-4 --weight-decay 0.1 --clip 1.0 --seed 0)
DATA=(--train .carry/corpus/train.npy --heldout .carry/corpus/heldout.npy
      --tokenizer .carry/corpus/tokenizer.model --vocab 12000 --eos 0 --device cuda)

if [ -z "${STEPS:-}" ]; then
  rm -rf build-gpu/probe
  "$CLI" train "${DATA[@]}" "${SHAPE[@]}" "${HP[@]}" --steps 30 --warmup 5 --eval-every 0 --eval-windows 4 \
    --checkpoint-every 0 --out build-gpu/probe 2>&1 | tee build-gpu/probe.log
  # tokens/s of the last logged updates (the first include start-up)
  TPS=$(awk -F, 'NR > 2 { t = $8 } END { print int(t) }' build-gpu/probe/loss.csv)
  STEPS=$(( TPS * SECONDS_BUDGET / (32 * 512) ))
  echo "probe: $TPS tokens/s -> $STEPS updates for $SECONDS_BUDGET s"
fi
WARMUP=$(( STEPS / 20 ))
"$CLI" train "${DATA[@]}" "${SHAPE[@]}" "${HP[@]}" --steps "$STEPS" --warmup "$WARMUP" \
  --eval-every $(( STEPS / 10 )) --eval-windows 128 --checkpoint-every $(( STEPS / 4 )) \
  --time-limit $(( SECONDS_BUDGET + 60 )) --out build-gpu/demo-train
mkdir -p "$OUT/demo-model"
cp build-gpu/demo-train/model/config.json build-gpu/demo-train/model/model.safetensors \
   build-gpu/demo-train/loss.csv "$OUT/demo-model/"
echo "STEPS=$STEPS" > "$OUT/demo-model/steps.txt"
ls -la "$OUT/demo-model"
