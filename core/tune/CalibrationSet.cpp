#include "core/tune/CalibrationSet.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/eval/RequestEncoding.h"
#include "core/eval/TaskReaders.h"
#include "core/tune/ScheduleSearch.h"  // SearchRandom

namespace fs = std::filesystem;

namespace ssmlens {
namespace {

bool heldOut(int64_t i, const CalibrationOptions& o) { return o.heldoutEvery >= 2 && i % o.heldoutEvery == o.heldoutEvery - 1; }

std::string withThousands(int64_t v) {
    std::string s = std::to_string(v), out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i && (s.size() - i) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

void checkIds(const CalibrationSequence& s, int64_t vocabRows) {
    for (const auto* part : {&s.ids, &s.targets})
        for (int64_t id : *part)
            if (id < 0 || id >= vocabRows)
                throw Error(s.origin + ": token id " + std::to_string(id) + " is outside the model's vocabulary of " +
                            std::to_string(vocabRows) + " (does the tokenizer belong to this model?)");
}

// lm-eval's model input: (context + continuation)[-(maxLength + 1):][:-1], the continuation's positions scored.
bool sequenceFromRequest(const TokenizedRequest& r, int64_t maxLength, const std::string& origin, CalibrationSequence* out) {
    if (r.continuation.empty()) return false;
    if (maxLength > 0 && static_cast<int64_t>(r.continuation.size()) > maxLength)
        throw Error(origin + ": the continuation has " + std::to_string(r.continuation.size()) +
                    " tokens, more than the window of " + std::to_string(maxLength));
    std::vector<int64_t> all = r.context;
    all.insert(all.end(), r.continuation.begin(), r.continuation.end());
    if (maxLength > 0 && static_cast<int64_t>(all.size()) > maxLength + 1) all.erase(all.begin(), all.end() - (maxLength + 1));
    out->ids.assign(all.begin(), all.end() - 1);
    out->firstScored = static_cast<int64_t>(out->ids.size() - r.continuation.size());
    out->targets = r.continuation;
    out->origin = origin;
    return true;
}

struct SourceSequences {
    std::vector<CalibrationSequence> calibration, heldout;
};

SourceSequences readText(const CalibrationSource& src, const Tokenizer& tok, const CalibrationOptions& o) {
    requireRegularFile(src.path, "a text file (one paragraph a line)");  // a FIFO or a folder is refused, not waited on
    std::ifstream in(src.path, std::ios::binary);
    if (!in) throw Error(src.path + ": cannot open the text file");
    SourceSequences out;
    int64_t paragraph = 0, lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::vector<int64_t> t = tok.encode(line).ids;
        const bool held = heldOut(paragraph++, o);
        // Windows of textWindow inputs (textWindow + 1 tokens with the last target), cut from the end of the
        // paragraph backwards, so every window but the first is whole; a first piece too short to give its scored
        // positions some context is left out.
        const int64_t n = static_cast<int64_t>(t.size()), w = o.textWindow + 1;
        const int64_t shortest = std::max<int64_t>(o.textScored + 2, w / 4);
        std::vector<CalibrationSequence> windows;
        for (int64_t end = n; end >= 2; end -= o.textWindow) {
            const int64_t start = std::max<int64_t>(0, end - w);
            if (end - start < shortest && !windows.empty()) break;
            if (end - start < 2) break;
            CalibrationSequence s;
            s.ids.assign(t.begin() + start, t.begin() + end - 1);
            const int64_t m = static_cast<int64_t>(s.ids.size());
            s.firstScored = std::min(m - 1, std::max<int64_t>(1, m - o.textScored));
            s.targets.assign(t.begin() + start + s.firstScored + 1, t.begin() + end);
            s.origin = src.path + " line " + std::to_string(lineNo);
            windows.push_back(std::move(s));
            if (start == 0) break;
        }
        for (auto it = windows.rbegin(); it != windows.rend(); ++it) (held ? out.heldout : out.calibration).push_back(std::move(*it));
    }
    if (out.calibration.empty() && out.heldout.empty()) throw Error(src.path + ": holds no text (one paragraph per line)");
    return out;
}

SourceSequences readTask(const CalibrationSource& src, const Tokenizer& tok, const CalibrationOptions& o,
                         EvalTaskData* data) {
    *data = loadEvalTask(src.kind, src.path);
    const std::string file = fs::path(data->source).filename().string();
    SourceSequences out;
    for (size_t i = 0; i < data->examples.size(); ++i) {
        const EvalExample& e = data->examples[i];
        const LoglikelihoodRequest& gold = e.requests.at(static_cast<size_t>(e.gold));
        CalibrationSequence s;
        const std::string origin = file + " item " + std::to_string(e.doc) + " (line " + std::to_string(e.line) + ")";
        if (!sequenceFromRequest(encodeRequest(tok, gold), o.maxLength, origin, &s)) continue;
        (heldOut(static_cast<int64_t>(i), o) ? out.heldout : out.calibration).push_back(std::move(s));
    }
    return out;
}

SourceSequences readRandom(const CalibrationSource& src, int64_t vocabRows, const CalibrationOptions& o) {
    long long count = 0, length = 0;
    char tail = 0;
    if (std::sscanf(src.path.c_str(), "%lldx%lld%c", &count, &length, &tail) != 2 || count < 1 || length < 2)
        throw Error("random:" + src.path + ": expected random:COUNTxLENGTH, for example random:64x512");
    SearchRandom r(o.randomSeed);
    SourceSequences out;
    for (long long i = 0; i < count; ++i) {
        CalibrationSequence s;
        std::vector<int64_t> t(static_cast<size_t>(length) + 1);
        for (int64_t& id : t) id = r.below(vocabRows);
        s.ids.assign(t.begin(), t.end() - 1);
        s.firstScored = std::max<int64_t>(1, length - o.textScored);
        s.targets.assign(t.begin() + s.firstScored + 1, t.end());
        s.origin = "random sequence " + std::to_string(i);
        out.calibration.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::string CalibrationSource::label() const { return kind + ":" + path; }

int64_t CalibrationSet::tokens() const {
    int64_t n = 0;
    for (const auto& s : sequences) n += static_cast<int64_t>(s.ids.size());
    return n;
}

int64_t CalibrationSet::scoredPositions() const {
    int64_t n = 0;
    for (const auto& s : sequences) n += static_cast<int64_t>(s.targets.size());
    return n;
}

std::vector<std::pair<int64_t, int64_t>> CalibrationSet::lengths() const {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (const auto& s : sequences) out.emplace_back(static_cast<int64_t>(s.ids.size()), static_cast<int64_t>(s.targets.size()));
    return out;
}

std::string CalibrationSet::fingerprint() const {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](int64_t v) {
        for (int k = 0; k < 8; ++k) {
            h ^= static_cast<uint64_t>(v >> (8 * k)) & 0xff;
            h *= 1099511628211ull;
        }
    };
    for (const auto& s : sequences) {
        mix(static_cast<int64_t>(s.ids.size()));
        for (int64_t id : s.ids) mix(id);
        mix(s.firstScored);
        for (int64_t id : s.targets) mix(id);
    }
    char b[20];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
    return b;
}

std::string evalTaskForFileName(const std::string& name) {
    auto starts = [&](const char* p) { return name.rfind(p, 0) == 0; };
    if (starts("lambada")) return "lambada_openai";
    if (starts("hellaswag")) return "hellaswag";
    if (starts("ARC-Easy")) return "arc_easy";
    if (starts("ARC-Challenge")) return "arc_challenge";
    if (starts("dev") || starts("winogrande")) return "winogrande";
    if (starts("valid") || starts("piqa")) return "piqa";
    return {};
}

std::vector<CalibrationSource> parseCalibrationSources(const std::string& spec) {
    std::vector<CalibrationSource> out;
    size_t start = 0;
    while (start <= spec.size()) {
        const size_t comma = spec.find(',', start);
        const std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
        if (item.empty()) continue;
        CalibrationSource s;
        const size_t colon = item.find(':');
        std::string kind = colon == std::string::npos ? "" : item.substr(0, colon);
        bool known = kind == "text" || kind == "random";
        for (const TaskInfo& t : evalTasks()) known = known || kind == t.name;
        if (known) {
            s.kind = kind;
            s.path = item.substr(colon + 1);
        } else {
            s.path = item;
            const std::string file = fs::path(item).filename().string();
            if (fs::path(item).extension() == ".txt") s.kind = "text";
            else s.kind = evalTaskForFileName(file);
            if (s.kind.empty())
                throw Error("--calibration: cannot tell what \"" + item + "\" is: name it text:FILE (one paragraph per "
                            "line) or TASK:FILE with TASK one of lambada_openai, hellaswag, piqa, arc_easy, arc_challenge, "
                            "winogrande");
        }
        if (s.path.empty()) throw Error("--calibration: \"" + item + "\" names no file");
        out.push_back(s);
    }
    if (out.empty()) throw Error("--calibration names no data");
    return out;
}

std::vector<CalibrationSource> demoCalibrationSources(const std::string& dir) {
    const fs::path eval = fs::path(dir) / "eval";
    return {{"lambada_openai", (eval / "lambada_openai").string()},
            {"hellaswag", (eval / "hellaswag").string()},
            {"text", (eval / "heldout_sample.txt").string()}};
}

CalibrationData loadCalibration(const std::vector<CalibrationSource>& sources, const Tokenizer* tok, int64_t vocabRows,
                                const CalibrationOptions& o) {
    if (o.textWindow < 2 || o.textScored < 1) throw Error("text windows need at least 2 tokens and 1 scored position");
    CalibrationData out;
    std::string calibrationText, heldoutText;
    for (const CalibrationSource& src : sources) {
        SourceSequences seqs;
        EvalTaskData task;
        if (src.kind == "random") {
            seqs = readRandom(src, vocabRows, o);
        } else {
            if (!tok) throw Error(src.label() + ": reading text needs a tokenizer (the model folder has none; pass --tokenizer)");
            if (src.kind == "text") seqs = readText(src, *tok, o);
            else seqs = readTask(src, *tok, o, &task);
        }
        if (o.limitPerSource >= 0 && static_cast<int64_t>(seqs.calibration.size()) > o.limitPerSource)
            seqs.calibration.resize(static_cast<size_t>(o.limitPerSource));
        if (o.heldoutLimitPerSource >= 0 && static_cast<int64_t>(seqs.heldout.size()) > o.heldoutLimitPerSource)
            seqs.heldout.resize(static_cast<size_t>(o.heldoutLimitPerSource));
        for (const auto* part : {&seqs.calibration, &seqs.heldout})
            for (const auto& s : *part) checkIds(s, vocabRows);
        const std::string name = src.kind == "text" ? fs::path(src.path).filename().string() : src.kind;
        calibrationText += (calibrationText.empty() ? "" : ", ") + name + " " + std::to_string(seqs.calibration.size());
        if (!seqs.heldout.empty())
            heldoutText += (heldoutText.empty() ? "" : ", ") + name + " " + std::to_string(seqs.heldout.size());
        for (auto* part : {&seqs.calibration, &seqs.heldout})
            for (auto& s : *part) s.source = name;
        for (auto& s : seqs.calibration) out.calibration.sequences.push_back(std::move(s));
        for (auto& s : seqs.heldout) out.heldout.sequences.push_back(std::move(s));
        if (src.kind != "text" && src.kind != "random" && o.heldoutEvery >= 2) {
            HeldoutTask h;
            h.data = std::move(task);
            h.selection.shardIndex = o.heldoutEvery - 1;
            h.selection.shardCount = o.heldoutEvery;
            if (o.heldoutLimitPerSource >= 0) h.selection.limit = o.heldoutLimitPerSource * o.heldoutEvery;
            out.heldoutTasks.push_back(std::move(h));
        }
    }
    if (out.calibration.sequences.empty())
        throw Error("the calibration split is empty (every example was held out, or the files hold none)");
    auto describe = [](CalibrationSet& set, const std::string& parts) {
        set.description = parts + " (" + std::to_string(set.sequences.size()) + " sequences, " +
                          withThousands(set.tokens()) + " tokens, " + withThousands(set.scoredPositions()) +
                          " scored positions)";
    };
    describe(out.calibration, calibrationText);
    if (!out.heldout.sequences.empty()) describe(out.heldout, heldoutText);
    return out;
}

}  // namespace ssmlens
