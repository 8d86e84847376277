#pragma once
// The window's command line: `ssmlens [--model DIR] [--prompt TEXT] [--keep-ratio Q] [--method NAME] [--schedule FILE]
// [--export VIEW=FILE ...] ...`. Parsed and checked here, without a display or a model, so main() can
// answer --help and --version anywhere, and reject a bad value with a message before any window opens.
//
// --export VIEW=FILE (repeatable) runs without a display (Qt's offscreen platform): it opens the model,
// runs the prompt, exports each view to its file (format from the extension: .png, .pdf, .svg; size from
// --size, --dpi and --font-size as in the export dialog) and exits: 0 when every file was written.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

#include "core/reduction/ReductionMethod.h"
#include "widgets/WidgetExport.h"

namespace ssmlens {

struct AppOptions {
    QString model, tokenizer, prompt, schedulePath, language;
    std::optional<double> keepRatio;
    std::optional<ReductionMethod> method;  // --method, as ssmlens-cli --method; not with --schedule
    std::vector<std::pair<QString, QString>> exports;  // (view, file) in the order given
    FigureSize figure;
    int layer = -1, token = -1;        // the selection the exported views show; -1: the default
    QString screenshot;                // a PNG of the whole window after the first result
    QSize windowSize;                  // for screenshots; invalid: the default / saved size
    bool runAccuracy = false;          // run the accuracy check on the first entry after the first result
    int benchmarkMoves = 0;            // --benchmark-latency N
    int attentionMoves = 0;            // --benchmark-attention N: layer changes in the Attention view
    bool showAttention = false;        // start with the Attention view in front
    bool help = false, version = false;
    bool scripted() const { return !exports.empty() || !screenshot.isEmpty() || benchmarkMoves > 0 || attentionMoves > 0; }
};

class AppCommandLine {
    Q_DECLARE_TR_FUNCTIONS(ssmlens::AppCommandLine)

public:
    AppCommandLine();
    // Parses arguments (argv with the program name first). Returns an empty string and fills *options, or
    // a message saying which option is wrong and why. Needs no QCoreApplication (main looks before making
    // one: --help, --version and errors need no display, --export runs offscreen).
    QString parse(const QStringList& arguments, AppOptions* options);
    QString helpText() const { return parser_.helpText(); }


private:
    QCommandLineParser parser_;
};

}  // namespace ssmlens
