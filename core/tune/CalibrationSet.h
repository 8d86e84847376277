#pragma once
// CalibrationSet: the token sequences a tuning run scores schedules on, each with the span of positions
// whose next-token distributions count. Built from the user's data (text files, or benchmark files of the
// six tasks) and split, example by example, into the calibration part the search sees and a held-out part it
// never sees (for the report; HeldoutReport.h).
//
//   text file   one paragraph per non-empty line; each paragraph (cut into windows of textWindow tokens) is a
//               sequence whose last textScored positions are scored
//   task file   each example's correct answer as lm-eval scores it: context + gold continuation (without its
//               last token, left-truncated to maxLength), the continuation's positions scored
//   random      random:COUNTxLENGTH, random ids (benchmarks on random weights)
// Example i of a source (paragraph i, item i) is held out when i % heldoutEvery == heldoutEvery - 1: with the
// default 2, every second one.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/eval/EvalTask.h"
#include "core/eval/ExampleSelection.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

struct CalibrationSequence {
    std::vector<int64_t> ids;      // what the model reads
    int64_t firstScored = 0;       // positions firstScored .. ids.size() - 1 are scored
    std::vector<int64_t> targets;  // the true next token of each scored position
    std::string origin;            // "lambada_test.jsonl item 12", for messages
    std::string source;            // the source it came from: a task name, or the text file's name
};

struct CalibrationSource {
    std::string kind;  // "text", a task name (lambada_openai, hellaswag, ...), or "random"
    std::string path;  // the file (or folder, for tasks); for random "COUNTxLENGTH"
    std::string label() const;  // "hellaswag:resources/.../hellaswag_val.jsonl"
};

struct CalibrationOptions {
    int64_t heldoutEvery = 2;      // < 2: nothing held out
    int64_t limitPerSource = -1;   // calibration examples per source (the first ones); < 0: all
    int64_t heldoutLimitPerSource = -1;
    int64_t maxLength = 2048;      // as lm-eval's window: longer inputs lose tokens on the left
    int64_t textWindow = 256;
    int64_t textScored = 32;
    uint64_t randomSeed = 0;
};

struct CalibrationSet {
    std::vector<CalibrationSequence> sequences;
    std::string description;  // "lambada_openai 55, hellaswag 94, text 20 (18,402 tokens)"

    int64_t tokens() const;
    int64_t scoredPositions() const;
    std::vector<std::pair<int64_t, int64_t>> lengths() const;  // (input tokens, scored positions), for FlopsBudget
    std::string fingerprint() const;  // FNV-1a over every sequence's ids, span and targets, as hex
};

// A task source's held-out examples, to be scored the way `eval` scores them (every choice).
struct HeldoutTask {
    EvalTaskData data;
    ExampleSelection selection;  // the held-out docs: shard heldoutEvery - 1 of heldoutEvery
};

struct CalibrationData {
    CalibrationSet calibration;
    CalibrationSet heldout;             // the held-out examples as sequences (every source)
    std::vector<HeldoutTask> heldoutTasks;  // the task sources' held-out examples
};

// "hellaswag:PATH,text:PATH,PATH,random:64x512": a bare PATH is a .txt text file or a task file recognised by
// its distributed name (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl (piqa), ARC-*.jsonl, dev.jsonl
// (winogrande)). Throws ssmlens::Error for an unknown kind or a file it cannot place.
std::vector<CalibrationSource> parseCalibrationSources(const std::string& spec);
// The demo model's bundled held-out data (its eval/ folder): lambada-style, cloze (hellaswag) and text.
std::vector<CalibrationSource> demoCalibrationSources(const std::string& demoModelDir);
// Calibration examples per source taken from the demo data by default (the CLI and the window): a third of
// the bundled examples keeps a candidate's evaluation to a few seconds of two CPU cores (docs/tuning.md);
// the held-out half is not limited.
constexpr int64_t kDemoCalibrationLimit = 24;
// The task a distributed file name belongs to ("" when none).
std::string evalTaskForFileName(const std::string& fileName);

// vocabRows: the model's embedding rows (random ids are drawn below it; every id is checked against it).
// Throws ssmlens::Error naming the file and the problem (a text with no paragraph long enough, ids outside
// the vocabulary, an empty calibration split).
CalibrationData loadCalibration(const std::vector<CalibrationSource>& sources, const Tokenizer* tokenizer,
                                int64_t vocabRows, const CalibrationOptions& options);

}  // namespace ssmlens
