#include "core/cluster/SlurmArrayScript.h"

#include <algorithm>
#include <cctype>

#include "core/Error.h"

namespace ssmlens {
namespace {

// How the task's index reads in the script.
constexpr const char* kTaskIndexVariable = "\"$SLURM_ARRAY_TASK_ID\"";

bool hasWhitespace(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// Slurm expands %a, %A, %j ... in --output; a literal % is written %%.
std::string slurmFileName(const std::string& path) {
    std::string out;
    for (char c : path) out += c == '%' ? std::string("%%") : std::string(1, c);
    return out;
}

void requirePlainPath(const std::string& path, const std::string& what) {
    if (path.empty() || hasWhitespace(path) || path.find('\\') != std::string::npos)
        throw Error(what + " \"" + path + "\": a path with spaces or backslashes cannot go into an #SBATCH line; " +
                    "choose a folder without them");
}

// The argument with the shard marker as the task's index, quoted for bash.
std::string scriptWord(const std::string& argument) {
    const std::string marker = kShardIndexMarker;
    std::string out;
    size_t from = 0;
    for (size_t at = argument.find(marker); at != std::string::npos; at = argument.find(marker, from)) {
        if (at > from) out += shellQuote(argument.substr(from, at - from));
        out += kTaskIndexVariable;
        from = at + marker.size();
    }
    if (from < argument.size() || out.empty()) out += shellQuote(argument.substr(from));
    return out;
}

}  // namespace

void validateSlurmOptions(const SlurmOptions& o) {
    if (!o.partition.empty() &&
        !std::all_of(o.partition.begin(), o.partition.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ','; }))
        throw Error("--slurm-partition \"" + o.partition + "\": expected a partition name (or a comma-separated list)");
    if (o.gpusPerTask < 0) throw Error("--slurm-gpus-per-task must be 0 or more");
    if (o.cpusPerTask < 0) throw Error("--slurm-cpus-per-task must be 0 or more");
    if (!o.timeLimit.empty() &&
        !std::all_of(o.timeLimit.begin(), o.timeLimit.end(),
                     [](unsigned char c) { return std::isdigit(c) || c == ':' || c == '-'; }))
        throw Error("--slurm-time \"" + o.timeLimit + "\": expected a Slurm time limit such as 90, 2:00:00 or 1-12:00:00");
    for (const std::string& e : o.extraOptions) {
        if (e.rfind("-", 0) != 0)
            throw Error("--sbatch-options: \"" + e + "\" is not an sbatch option (options start with -)");
        if (e.find('\n') != std::string::npos) throw Error("--sbatch-options: an option cannot span lines");
        for (const char* ours : {"--array", "-a", "--output", "-o", "--chdir", "-D", "--open-mode"})
            if (e.rfind(ours, 0) == 0)
                throw Error("--sbatch-options: \"" + e + "\" is set by ssmlens-cli (the array, its output and folder)");
    }
    if (!(o.pollSeconds > 0)) throw Error("--slurm-poll must be more than 0 seconds");
}

std::string slurmScriptPath(const ShardPlan& plan) { return plan.dir + "/" + plan.name + ".sbatch"; }

std::string slurmArrayScript(const ShardPlan& plan, const SlurmOptions& o, const std::vector<std::string>& comment) {
    validateSlurmOptions(o);
    requirePlainPath(plan.dir, "the folder for the shards' files");
    requirePlainPath(plan.workingDir, "the working folder");
    const std::string count = std::to_string(plan.shardCount), last = std::to_string(plan.shardCount - 1);
    std::string s = "#!/bin/bash\n";
    for (const std::string& c : comment) s += "# " + c + "\n";
    s += "#SBATCH --job-name=" + plan.name + "\n";
    s += "#SBATCH --array=0-" + last + "\n";
    s += "#SBATCH --output=" + slurmFileName(plan.dir + "/" + plan.name) + ".shard-%a.log\n";  // %a: the task
    s += "#SBATCH --open-mode=append\n";
    s += "#SBATCH --chdir=" + plan.workingDir + "\n";
    if (!o.partition.empty()) s += "#SBATCH --partition=" + o.partition + "\n";
    if (o.gpusPerTask > 0) s += "#SBATCH --gres=gpu:" + std::to_string(o.gpusPerTask) + "\n";
    if (o.cpusPerTask > 0) s += "#SBATCH --cpus-per-task=" + std::to_string(o.cpusPerTask) + "\n";
    if (!o.timeLimit.empty()) s += "#SBATCH --time=" + o.timeLimit + "\n";
    for (const std::string& e : o.extraOptions) s += "#SBATCH " + e + "\n";
    s += "\n"
         "# The shard count is fixed here, not read from SLURM_ARRAY_TASK_COUNT: failed tasks are submitted again\n"
         "# as a smaller array (sbatch --array=2,5 this-file), whose task count is not the shard count.\n"
         "shards=" + count + "\n"
         "if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ] || [ \"$SLURM_ARRAY_TASK_ID\" -ge \"$shards\" ]; then\n"
         "  echo \"ssmlens: submit this script with sbatch; it runs as array tasks 0-" + last + "\" >&2\n"
         "  exit 2\n"
         "fi\n"
         "# CPU threads: as many as Slurm gave the task.\n"
         "if [ -n \"${SLURM_CPUS_PER_TASK:-}\" ]; then export OMP_NUM_THREADS=\"$SLURM_CPUS_PER_TASK\"; fi\n"
         "echo \"ssmlens: shard $SLURM_ARRAY_TASK_ID/$shards, job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
         " on $(hostname), $(date -u '+%F %T UTC')\"\n";
    std::string command;
    for (size_t i = 0; i < plan.command.size(); ++i) {
        // One option (with its value) per line.
        const bool option = plan.command[i].rfind("--", 0) == 0;
        command += (i == 0 ? "" : option ? " \\\n    " : " ") + scriptWord(plan.command[i]);
    }
    s += command + "\n";
    // The exit code tells the runner a failure that is worth a retry (killed, preempted) from an error the
    // program reported (which a retry would repeat); squeue says only FAILED for both.
    s += "status=$?\n"
         "echo \"$status\" > " + scriptWord(plan.exitFilePattern()) + "\n"
         "exit \"$status\"\n";
    return s;
}

std::string shellQuote(const std::string& word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string("_-./:=,+@%^").find(static_cast<char>(c)) != std::string::npos;
    });
    if (plain) return word;
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::vector<std::string> splitShellWords(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    char quote = 0;
    for (char c : text) {
        if (quote) {
            if (c == quote) quote = 0;
            else word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (inWord) words.push_back(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (quote) throw Error("--sbatch-options \"" + text + "\": a quote is not closed");
    if (inWord) words.push_back(word);
    return words;
}

}  // namespace ssmlens
