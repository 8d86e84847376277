#include "app/gui/SessionFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <climits>
#include <cstring>
#include <exception>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/eval/EvalResultJson.h"
#include "core/io/InputFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {
namespace {

using nlohmann::json;

constexpr char kFormat[] = "ssmlens-session";
constexpr int kVersion = 1;

std::string utf8(const QString& s) { return s.toStdString(); }
QString fromUtf8(const std::string& s) { return QString::fromStdString(s); }


// Reads optional fields; one of the wrong type is a Problem naming it ("view.layer must be an integer").
struct FieldReader {
    struct Problem {
        QString message;
    };
    QString source;

    static const json* find(const json& obj, const char* name) {
        const char* dot = std::strrchr(name, '.');
        const auto it = obj.find(dot ? dot + 1 : name);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    [[noreturn]] void wrongType(const char* name, const char* what) const {
        throw Problem{QCoreApplication::translate("ssmlens::SessionFile", "%1: \"%2\" must be %3")
                          .arg(source, QString::fromLatin1(name), QCoreApplication::translate("ssmlens::SessionFile", what))};
    }
    const json& object(const json& obj, const char* name) const {
        static const json empty = json::object();
        const json* v = find(obj, name);
        if (v && !v->is_object()) wrongType(name, QT_TRANSLATE_NOOP("ssmlens::SessionFile", "an object"));
        return v ? *v : empty;
    }
    const json& list(const json& obj, const char* name) const {
        static const json empty = json::array();
        const json* v = find(obj, name);
        if (v && !v->is_array()) wrongType(name, QT_TRANSLATE_NOOP("ssmlens::SessionFile", "a list"));
        return v ? *v : empty;
    }
    QString text(const json& obj, const char* name, const QString& fallback) const {
        const json* v = find(obj, name);
        if (v && !v->is_string()) wrongType(name, QT_TRANSLATE_NOOP("ssmlens::SessionFile", "text"));
        return v ? fromUtf8(v->get<std::string>()) : fallback;
    }
    int integer(const json& obj, const char* name, int fallback) const {
        const json* v = find(obj, name);
        if (v && (!v->is_number_integer() || v->get<int64_t>() < -1 || v->get<int64_t>() > INT_MAX))
            wrongType(name, QT_TRANSLATE_NOOP("ssmlens::SessionFile", "an integer, -1 or more"));
        return v ? static_cast<int>(v->get<int64_t>()) : fallback;
    }
    double number(const json& obj, const char* name, double fallback) const {
        const json* v = find(obj, name);
        if (v && !v->is_number()) wrongType(name, QT_TRANSLATE_NOOP("ssmlens::SessionFile", "a number"));
        return v ? v->get<double>() : fallback;
    }
};

}  // namespace

QString sessionFileFilter() {
    return QCoreApplication::translate("ssmlens::SessionFile", "SSM Lens sessions (*%1)").arg(kSessionSuffix);
}

json sessionToJson(const Session& s) {
    json results = json::array();
    for (const auto& r : s.results)
        if (r) results.push_back(evalResultToJson(*r));
    return {{"format", kFormat},
            {"version", kVersion},
            {"model", {{"folder", utf8(s.modelFolder)}, {"dtype", utf8(s.dtype)}, {"device", utf8(s.device)},
                       {"tokenizer", utf8(s.tokenizer)}}},
            {"prompt", utf8(s.prompt)},
            {"schedule", s.schedule.toJson()},
            {"view",
             {{"layer", s.selectedLayer}, {"token", s.selectedToken}, {"similarity_threshold", s.similarityThreshold}}},
            {"results", results}};
}

std::optional<Session> sessionFromJson(const json& j, const QString& source, QString* error) {
    auto fail = [&](const QString& message) -> std::optional<Session> {
        if (error) *error = message;
        return std::nullopt;
    };
    if (!j.is_object() || !j.contains("format") || j["format"] != kFormat)
        return fail(QCoreApplication::translate("ssmlens::SessionFile",
                                                "%1: not an SSM Lens session (no \"format\": \"%2\")")
                        .arg(source, kFormat));
    const json version = j.value("version", json(nullptr));
    if (!version.is_number_integer() || version.get<int64_t>() != kVersion)
        return fail(QCoreApplication::translate("ssmlens::SessionFile",
                                                "%1: session version %2 is not supported (this build reads %3)")
                        .arg(source, fromUtf8(jsonSnippet(version, 20)))
                        .arg(kVersion));
    if (!j.contains("schedule"))
        return fail(QCoreApplication::translate("ssmlens::SessionFile", "%1: the session has no schedule").arg(source));
    Session s;
    try {
        // Everything but the schedule may be left out (a hand-written session can be short); what is there
        // must have the right type, and a wrong one is named.
        const FieldReader read{source};
        const json& model = read.object(j, "model");
        s.modelFolder = read.text(model, "model.folder", QString());
        s.dtype = read.text(model, "model.dtype", s.dtype);
        s.device = read.text(model, "model.device", s.device);
        s.tokenizer = read.text(model, "model.tokenizer", QString());
        s.prompt = read.text(j, "prompt", QString());
        s.schedule = ReductionSchedule::fromJson(j["schedule"], utf8(source) + " (schedule)");
        const json& view = read.object(j, "view");
        s.selectedLayer = read.integer(view, "view.layer", -1);
        s.selectedToken = read.integer(view, "view.token", -1);
        s.similarityThreshold = read.number(view, "view.similarity_threshold", 0.0);
        const json& results = read.list(j, "results");
        for (size_t i = 0; i < results.size(); ++i) {
            const std::string where = utf8(source) + " (result " + std::to_string(i + 1) + ")";
            try {
                s.results.push_back(QSharedPointer<const EvalResult>::create(evalResultFromJson(results[i], where)));
            } catch (const Error& e) {
                // Some of core's checks (an unknown task name) do not know the file; say which one it is.
                const std::string message = e.what();
                throw Error(message.rfind(where, 0) == 0 ? message : where + ": " + message);
            }
        }
    } catch (const FieldReader::Problem& p) {
        return fail(p.message);
    } catch (const Error& e) {
        return fail(fromUtf8(e.what()));  // core's messages already name the source
    } catch (const json::exception& e) {
        return fail(QCoreApplication::translate("ssmlens::SessionFile", "%1: malformed session (%2)")
                        .arg(source, fromUtf8(jsonProblem(e))));
    }
    return s;
}

QString writeSessionJson(const json& j, const QString& path) {
    QByteArray bytes;
    try {
        // replace: an eval result may carry invalid UTF-8 from a data file; it must not stop the save.
        bytes = QByteArray::fromStdString(j.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
    } catch (const std::exception& e) {
        return QCoreApplication::translate("ssmlens::SessionFile", "%1: cannot write the session (%2)")
            .arg(path, QString::fromUtf8(e.what()));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return QCoreApplication::translate("ssmlens::SessionFile", "%1: cannot write (%2)").arg(path, file.errorString());
    return {};
}

QString saveSession(const Session& session, const QString& path) {
    try {
        return writeSessionJson(sessionToJson(session), path);
    } catch (const std::exception& e) {  // building the JSON: out of memory, at worst
        return QCoreApplication::translate("ssmlens::SessionFile", "%1: cannot write the session (%2)")
            .arg(path, QString::fromUtf8(e.what()));
    }
}

bool readSessionJson(const QString& path, json* out, QString* error) {
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    if (!QFileInfo::exists(path))
        return fail(QCoreApplication::translate("ssmlens::SessionFile", "%1: no such file").arg(path));
    // A regular file of bounded size only (a FIFO would block the window), JSON of bounded depth.
    const std::string source = utf8(path);
    auto problem = [&](const Error& e) {  // core's message without the file name it starts with
        const std::string what = e.what();
        return fromUtf8(what.rfind(source + ": ", 0) == 0 ? what.substr(source.size() + 2) : what);
    };
    std::string bytes;
    try {
        bytes = readInputFile(source, "an SSM Lens session");
    } catch (const Error& e) {
        return fail(QCoreApplication::translate("ssmlens::SessionFile", "%1: cannot read (%2)").arg(path, problem(e)));
    }
    try {
        *out = parseJsonText(bytes, source);
    } catch (const Error& e) {
        return fail(QCoreApplication::translate("ssmlens::SessionFile", "%1: not a JSON file (%2)").arg(path, problem(e)));
    }
    return true;
}

std::optional<Session> loadSession(const QString& path, QString* error) {
    try {
        json j;
        if (!readSessionJson(path, &j, error)) return std::nullopt;
        return sessionFromJson(j, path, error);
    } catch (const std::exception& e) {  // out of memory on a huge file: still a message, not a crash
        if (error)
            *error = QCoreApplication::translate("ssmlens::SessionFile", "%1: cannot read (%2)")
                         .arg(path, QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

QString autosavePath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + "/autosave" + kSessionSuffix;
}

}  // namespace ssmlens
