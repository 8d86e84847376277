#pragma once
// A saved session (.ssmlens-session, JSON inside): everything needed to reopen the user's work — the model
// folder and how it runs, the prompt, the reduction schedule, where the user was looking, and the accuracy
// results shown. Versioned, like the schedule and eval-result files:
//   {"format": "ssmlens-session", "version": 1,
//    "model": {"folder": "/path/to/checkpoint", "dtype": "fp32", "device": "cpu"},
//    "prompt": "...",
//    "schedule": {ReductionSchedule::toJson()},
//    "view": {"layer": 12, "token": 3, "similarity_threshold": 0.5},
//    "results": [{evalResultToJson()}, ...]}
// Results are kept whole (core/eval/EvalResultJson: settings, schedule and every scored example), so the
// accuracy bars and the CSV export come back with the same numbers; the summary is recomputed from the
// examples on load. The keep-ratio sweep is not kept (it is cheap to rerun and may be large).
// The autosave copy (Autosaver) also carries "clean_exit"; a session saved by the user does not.
#include <QSharedPointer>
#include <QString>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/EvalResult.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

inline constexpr char kSessionSuffix[] = ".ssmlens-session";

struct Session {
    QString modelFolder;  // empty: no model was open
    QString dtype = "fp32", device = "cpu";
    QString tokenizer;    // a tokenizer file chosen for the model; empty: the model folder's own
    QString prompt;
    ReductionSchedule schedule;
    int selectedLayer = -1, selectedToken = -1;  // -1: nothing selected
    double similarityThreshold = 0;              // SimilarityGraph's minimum cosine
    std::vector<QSharedPointer<const EvalResult>> results;  // as AccuracyPanel::results()
};

// The file dialogs' filter, "SSM Lens sessions (*.ssmlens-session)", translated.
QString sessionFileFilter();

// Writes `session` to `path` through QSaveFile: the old file is replaced only once the new one is complete,
// so a crash or a full disk mid-write leaves the previous session intact. Returns an error message naming
// the file, empty on success.
QString saveSession(const Session& session, const QString& path);

// Reads a session. On failure returns nullopt and sets *error to a message naming the file and the problem
// (no such file, not JSON, not a session, an unsupported version, a bad schedule or result). Never throws.
// The schedule is checked for itself (ratios, repeated layers) but not against a model's depth: validate it
// once the model is open.
std::optional<Session> loadSession(const QString& path, QString* error);

// Where the Autosaver keeps the latest state: <AppDataLocation>/autosave.ssmlens-session. Creates the
// folder. (Under QStandardPaths::setTestModeEnabled(true) this is a scratch location.)
QString autosavePath();

// The layer under save/load, for the Autosaver's extra field. Same error conventions as above; `source`
// names the file in messages.
nlohmann::json sessionToJson(const Session& session);
std::optional<Session> sessionFromJson(const nlohmann::json& j, const QString& source, QString* error);
QString writeSessionJson(const nlohmann::json& j, const QString& path);
bool readSessionJson(const QString& path, nlohmann::json* out, QString* error);  // the file parsed, nothing checked

}  // namespace ssmlens
