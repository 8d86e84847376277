#include "core/cluster/ShardedEvaluator.h"

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/tune/TuneRoundFile.h"

namespace ssmlens {

ShardedEvaluator::ShardedEvaluator(ShardRunner& runner, ShardedEvaluatorOptions options)
    : runner_(runner), options_(std::move(options)) {
    if (options_.maxShards < 1) throw Error("the workers per round must be at least 1");
    if (options_.workerCommand.empty()) throw Error("no worker command for the tuner's rounds");
}

std::string ShardedEvaluator::roundFile(int64_t round) const {
    return options_.dir + "/" + options_.name + ".round-" + std::to_string(round) + ".json";
}

std::string ShardedEvaluator::description() const {
    return options_.description + (workerDescription_.empty() ? "" : "; each: " + workerDescription_);
}

void ShardedEvaluator::evaluate(const std::vector<ReductionSchedule>& round, const std::vector<std::vector<double>>& rejectAbove,
                                const std::function<void(size_t, const CandidateScore&)>& done,
                                const std::function<bool()>& stop) {
    if (round.empty()) return;
    const int64_t r = rounds_++;
    const int64_t shards = std::min<int64_t>(options_.maxShards, static_cast<int64_t>(round.size()));

    std::error_code ec;
    std::filesystem::create_directories(options_.dir, ec);
    TuneRound file;
    file.round = r;
    file.calibrationFingerprint = options_.calibrationFingerprint;
    file.schedules = round;
    file.rejectAbove = rejectAbove;
    writeFileAtomically(roundFile(r), file.toJson().dump(1) + "\n");

    ShardPlan plan;
    plan.name = options_.name + "-round-" + std::to_string(r);
    plan.dir = options_.dir;
    plan.workingDir = options_.workingDir;
    plan.shardCount = shards;
    plan.command = options_.workerCommand;
    plan.command.insert(plan.command.end(),
                        {"--round", roundFile(r), "--shard", std::string(kShardIndexMarker) + "/" + std::to_string(shards),
                         "--result", plan.resultFilePattern(), "--progress-file", plan.progressFilePattern()});
    for (int64_t k = 0; k < shards; ++k) {
        const auto [first, end] = roundShareOf(round.size(), k, shards);
        plan.work.push_back(static_cast<int64_t>(end - first));
    }

    // Scores in round order: those that arrive ahead of a gap wait for it.
    std::vector<std::optional<CandidateScore>> got(round.size());
    size_t handed = 0;
    auto handOver = [&](bool everything) {
        for (; handed < got.size() && got[handed]; ++handed) done(handed, *got[handed]);
        if (everything)
            for (size_t i = handed; i < got.size(); ++i)
                if (got[i]) done(i, *got[i]);
    };
    // A bad result file is an error of the round; it is raised after the runner has stopped the workers.
    std::string badResult;
    ShardRunOptions o = options_.run;
    const std::function<bool()> interrupt = options_.run.stop;
    bool interrupted = false;
    o.stop = [&] {
        if (interrupt && interrupt()) interrupted = true;
        return interrupted || !badResult.empty() || (stop && stop());
    };
    o.shardDone = [&](int64_t k) {
        if (!badResult.empty()) return;
        const std::string path = plan.resultFile(k);
        const auto [first, end] = roundShareOf(round.size(), k, shards);
        try {
            const TuneRoundResult res = TuneRoundResult::load(path);
            if (res.round != r || res.shard != k || res.shards != shards)
                throw Error(path + ": the result of round " + std::to_string(res.round) + ", shard " +
                            std::to_string(res.shard) + "/" + std::to_string(res.shards) + ", not of round " +
                            std::to_string(r) + ", shard " + std::to_string(k) + "/" + std::to_string(shards));
            if (res.calibrationFingerprint != options_.calibrationFingerprint)
                throw Error(path + ": the worker on " + (res.host.empty() ? std::string("its node") : res.host) +
                            " scored other calibration data (fingerprint " + res.calibrationFingerprint + ", this run's " +
                            options_.calibrationFingerprint + "): do the nodes see the same files?");
            std::vector<bool> seen(end - first, false);
            for (const auto& [index, score] : res.scores) {
                if (index < first || index >= end)
                    throw Error(path + ": a score for candidate " + std::to_string(index) + " of the round, which is not in " +
                                "shard " + std::to_string(k) + "'s share (" + std::to_string(first) + " .. " +
                                std::to_string(end - 1) + ")");
                seen[index - first] = true;
                got[index] = score;
            }
            for (size_t i = 0; i < seen.size(); ++i)
                if (!seen[i])
                    throw Error(path + ": no score for candidate " + std::to_string(first + i) + " of round " +
                                std::to_string(r) + " (" + anchorsText(round[first + i]) + "); the worker's log is " +
                                plan.logFile(k));
            if (workerDescription_.empty()) {
                workerDescription_ = res.evaluator;
                denseNll_ = res.denseNll;
                denseSeconds_ = res.denseSeconds;
            }
        } catch (const Error& e) {
            for (size_t i = first; i < end; ++i) got[i].reset();
            badResult = e.what();
            return;
        }
        handOver(false);
    };
    o.report = [&](const std::vector<ShardStatus>& status, const std::string& event) {
        if (options_.report) options_.report(r, status, event);
    };

    try {
        runner_.run(plan, o);
    } catch (const ShardRunInterrupted& e) {
        handOver(true);
        if (!badResult.empty()) throw Error("tune round " + std::to_string(r) + ": " + badResult);
        if (interrupted) throw;
        return;  // stop(): the tuner's limit or cancel
    } catch (const Error& e) {
        handOver(true);
        throw Error("tune round " + std::to_string(r) + ": " + e.what());
    }
    handOver(true);
    if (!badResult.empty()) throw Error("tune round " + std::to_string(r) + ": " + badResult);
}

}  // namespace ssmlens
