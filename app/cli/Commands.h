#pragma once
// The sub-commands of ssmlens-cli. Each takes the arguments after its name, prints its result to stdout,
// returns the exit code, and throws ssmlens::Error for bad input (main prints it and exits 1).
#include <string>
#include <vector>

namespace ssmlens::cli {

using Args = std::vector<std::string>;

// What ssmlens-cli exits with after printing an error (bad input, a file it cannot read, ...). Workers of
// --devices / --slurm that exit with it are not retried: a second run would report the same.
constexpr int kReportedErrorExitCode = 1;

int runInfo(const Args& args);
int runTokenize(const Args& args);
int runLogits(const Args& args);
int runGenerate(const Args& args);
int runScore(const Args& args);
int runBench(const Args& args);
int runBenchReduce(const Args& args);
int runBenchSsd(const Args& args);
int runBenchAttention(const Args& args);
int runCheckReduce(const Args& args);
int runCheckDevice(const Args& args);
int runCheckDecode(const Args& args);
int runCheckPrefillGraph(const Args& args);
int runRandomModel(const Args& args);
int runTrainTokenizer(const Args& args);
int runReduce(const Args& args);
int runAttention(const Args& args);
int runActivations(const Args& args);
int runSchedule(const Args& args);
int runEval(const Args& args);
int runSweep(const Args& args);
int runMergeResults(const Args& args);
int runEncodeCorpus(const Args& args);
int runTrain(const Args& args);
int runPerplexity(const Args& args);
int runTune(const Args& args);
int runTuneRound(const Args& args);

}  // namespace ssmlens::cli
