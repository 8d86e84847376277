// ssmlens: the desktop app. `ssmlens --help` lists the options (app/gui/AppCommandLine.h); --help and
// --version need no display, --export VIEW=FILE runs without one (offscreen) and quits.
#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include "app/gui/AboutDialog.h"
#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppCommandLine.h"
#include "app/gui/AppSettings.h"
#include "app/gui/AttentionLatencyBenchmark.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/LatencyBenchmark.h"
#include "app/gui/MainWindow.h"
#include "app/gui/SamplePrompts.h"
#include "app/gui/Translations.h"
#include "widgets/ScheduleEditor.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/runtime/ComputeDevices.h"
#include "core/runtime/DemoModel.h"
#include "core/runtime/HeapPolicy.h"
#include "core/runtime/KernelPaths.h"
#include "core/runtime/ThreadWaitPolicy.h"

namespace {

void setNames() {
    QCoreApplication::setApplicationName("SSM Lens");
    QCoreApplication::setOrganizationName("SSM Lens");
    QCoreApplication::setApplicationVersion(ssmlens::appVersion());
}

// SSMLENS_LANGUAGE or --language if given, else the one chosen in the window, else the system's.
QLocale chosenLocale(const ssmlens::AppSettings& settings, const QString& option) {
    const QString code = !option.isEmpty() ? option : qEnvironmentVariable("SSMLENS_LANGUAGE");
    return code.isEmpty() ? ssmlens::AppSettings::localeFor(settings.language()) : QLocale(code);
}

int fail(const QString& message, int code = 2) {
    std::fprintf(stderr, "ssmlens: %s\n", qPrintable(message));
    return code;
}

// A scripted run's steps once the first current result is shown: the selection, accuracy runs the exports
// need, then the files (or the screenshot) and the exit code.
class ScriptedRun : public QObject {
public:
    ScriptedRun(ssmlens::MainWindow& window, const ssmlens::AppOptions& options) : window_(window), options_(options) {}

    void resultShown() {
        if (started_ || !window_.resultIsCurrent()) return;  // an older request's result
        started_ = true;
        if (options_.layer >= 0 || options_.token >= 0) window_.selectLayerAndToken(options_.layer, options_.token);
        // With the Attention view in front, the picture waits for its matrices as well.
        if (options_.showAttention && !window_.attentionPanel()->upToDate())
            QObject::connect(window_.attentionPanel(), &ssmlens::AttentionPanel::layerShown, this, [this] { runAccuracy(); },
                             Qt::SingleShotConnection);
        else
            runAccuracy();
    }

private:
    // The accuracy runs the exports need, one after the other, then the files.
    void runAccuracy() {
        bool accuracy = options_.runAccuracy, sweep = false;
        for (const auto& [view, file] : options_.exports) {
            accuracy = accuracy || view == "accuracy";
            sweep = sweep || view == "accuracy-vs-flops";
        }
        if (accuracy) steps_.push_back([this] { window_.accuracyPanel()->runCheck(); });
        if (sweep) steps_.push_back([this] { window_.accuracyPanel()->runSweep(); });
        QObject::connect(&window_, &ssmlens::MainWindow::accuracyShown, this, [this] { next(); });
        QObject::connect(window_.accuracyPanel(), &ssmlens::AccuracyPanel::failed, this, [](const QString& m) {
            std::fprintf(stderr, "ssmlens: accuracy check failed: %s\n", qPrintable(m));
            QApplication::exit(1);
        });
        next();
    }

    void next() {
        if (!steps_.empty()) {
            auto step = steps_.front();
            steps_.erase(steps_.begin());
            step();
            return;
        }
        // Everything is in: let the views lay out and paint once, then write.
        QTimer::singleShot(300, this, [this] {
            int code = 0;
            if (!options_.screenshot.isEmpty() && !window_.grab().save(options_.screenshot)) {
                std::fprintf(stderr, "ssmlens: %s: could not be written\n", qPrintable(options_.screenshot));
                code = 1;
            }
            for (const auto& [view, file] : options_.exports) {
                const QString error = window_.exportView(view, file, options_.figure);
                if (!error.isEmpty()) {
                    std::fprintf(stderr, "ssmlens: %s\n", qPrintable(error));
                    code = 1;
                } else {
                    std::printf("%s\n", qPrintable(file));
                }
            }
            std::fflush(stdout);
            QApplication::exit(code);
        });
    }

    ssmlens::MainWindow& window_;
    const ssmlens::AppOptions& options_;
    bool started_ = false;
    std::vector<std::function<void()>> steps_;
};

// Qt's offscreen platform says "This plugin does not support propagateSizeHints()" for every window it lays
// out: no problem of the export, and noise on the stderr of a script. Every other message goes through.
QtMessageHandler qtMessages = nullptr;
void withoutOffscreenNotices(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.startsWith(QLatin1String("This plugin does not support"))) return;
    if (qtMessages) qtMessages(type, context, message);
    else std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

}  // namespace

int main(int argc, char** argv) {
    ssmlens::ensurePassiveThreadWaiting(argv);
    ssmlens::keepTensorMemoryInHeap();
    // The same environment switches as ssmlens-cli (core/runtime/KernelPaths.h), before the worker thread starts.
    ssmlens::setDefaultKernelPaths(ssmlens::kernelPathsFromEnvironment());
    setNames();

    // --help, --version and a bad option print and quit anywhere, display or not: no QApplication for them.
    // (A first look without translations decides; the answer is then given in the user's language.)
    QStringList arguments;
    for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
    ssmlens::AppOptions firstLook;
    const bool answerOnly = !ssmlens::AppCommandLine().parse(arguments, &firstLook).isEmpty() || firstLook.help ||
                            firstLook.version;
    if (answerOnly) {
        QCoreApplication app(argc, argv);
        setNames();
        ssmlens::AppSettings settings;
        ssmlens::Translations translations;
        translations.apply(chosenLocale(settings, QString()));
        ssmlens::AppCommandLine cli;
        ssmlens::AppOptions options;
        const QString error = cli.parse(QCoreApplication::arguments(), &options);
        if (!error.isEmpty()) return fail(error);
        if (options.version) {
            std::printf("SSM Lens %s\n", qPrintable(ssmlens::appVersion()));
            return 0;
        }
        std::printf("%s", qPrintable(cli.helpText()));
        return 0;
    }
    // Exports run without a display: Qt's offscreen platform draws the same pictures.
    if (!firstLook.exports.empty()) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        qtMessages = qInstallMessageHandler(withoutOffscreenNotices);
    }

    QApplication app(argc, argv);
    setNames();
    QApplication::setWindowIcon(QIcon(":/icons/ssmlens.svg"));
    QGuiApplication::setDesktopFileName("ssmlens");  // matches packaging/ssmlens.desktop
    ssmlens::AppSettings settings;
    ssmlens::AppCommandLine cli;
    ssmlens::AppOptions options;
    const QString error = cli.parse(QCoreApplication::arguments(), &options);
    ssmlens::Translations translations;
    translations.apply(chosenLocale(settings, options.language));
    if (!error.isEmpty()) return fail(error);
    // Every core of the machine (or OMP_NUM_THREADS): libtorch alone would take one per physical core.
    ssmlens::useAllCores();

    std::optional<ssmlens::ReductionSchedule> schedule;
    if (!options.schedulePath.isEmpty()) {
        try {
            schedule = ssmlens::ReductionSchedule::load(options.schedulePath.toStdString());
        } catch (const std::exception& e) {
            return fail(QString::fromUtf8(e.what()));
        }
    }

    ssmlens::MainWindow window(nullptr, &settings);
    for (const auto& [view, file] : options.exports)
        if (!window.exportViewNames().contains(view))
            return fail(QObject::tr("--export %1=%2: no view called \"%1\" (views: %3)")
                            .arg(view, file, window.exportViewNames().join(", ")));
    if (options.scripted()) window.disableAutosave();  // never touch the user's autosave
    // The Attention view computes only while it is shown: exports of it show it (offscreen) and wait for it.
    for (const auto& [view, file] : options.exports)
        if (view == "attention" || view == "importance-vs-attention" || view == "attribution") options.showAttention = true;
    if (options.windowSize.isValid()) window.resize(options.windowSize);
    if (options.showAttention) window.showAttentionTab();
    if (options.exports.empty() || options.showAttention) window.show();
    if (options.keepRatio) window.setKeepRatio(*options.keepRatio);
    if (options.method) window.scheduleEditor()->setMethod(*options.method);
    window.setPrompt(!options.prompt.isEmpty() ? options.prompt : ssmlens::samplePrompts().front().text);
    const QString folder = !options.model.isEmpty() ? options.model : QString::fromStdString(ssmlens::defaultModelDir());
    if (!folder.isEmpty()) window.openModel(folder);
    if (!options.tokenizer.isEmpty()) {
        QObject::connect(&window, &ssmlens::MainWindow::modelShown, &window,
                         [&window, &options] { window.setTokenizerFile(options.tokenizer); }, Qt::SingleShotConnection);
    }
    if (schedule) {
        // Applied once the model's depth is known (a schedule is checked against it).
        QObject::connect(&window, &ssmlens::MainWindow::modelShown, &window, [&window, &schedule, &options] {
            QString why;
            if (!window.scheduleEditor()->setSchedule(*schedule, &why)) {
                std::fprintf(stderr, "ssmlens: %s: %s\n", qPrintable(options.schedulePath), qPrintable(why));
                QApplication::exit(2);
            }
        }, Qt::SingleShotConnection);
    }
    window.markSaved();  // what the command line set up is the start, not unsaved work
    // After a crash, offer the autosaved session (not in scripted runs, which must not wait for a click).
    if (!options.scripted()) QTimer::singleShot(0, &window, &ssmlens::MainWindow::offerCrashRecovery);

    if (options.attentionMoves > 0) {
        auto* bench = new ssmlens::AttentionLatencyBenchmark(&window, options.attentionMoves, &app);
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, bench, &ssmlens::AttentionLatencyBenchmark::start,
                         Qt::SingleShotConnection);
    }
    if (options.exports.empty() && options.screenshot.isEmpty() && (options.layer >= 0 || options.token >= 0))
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window,
                         [&window, &options] { window.selectLayerAndToken(options.layer, options.token); },
                         Qt::SingleShotConnection);
    if (options.benchmarkMoves > 0) {
        auto* bench = new ssmlens::LatencyBenchmark(&window, options.benchmarkMoves, &app);
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, bench, &ssmlens::LatencyBenchmark::start,
                         Qt::SingleShotConnection);
    } else if (options.runAccuracy && options.exports.empty() && options.screenshot.isEmpty()) {
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window, &ssmlens::MainWindow::runAccuracyCheck,
                         Qt::SingleShotConnection);
    }
    std::unique_ptr<ScriptedRun> script;
    if (!options.exports.empty() || !options.screenshot.isEmpty()) {
        script = std::make_unique<ScriptedRun>(window, options);
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, script.get(), [&script] { script->resultShown(); });
        const bool accuracy = options.runAccuracy || std::any_of(options.exports.begin(), options.exports.end(), [](const auto& e) {
                                  return e.first.startsWith("accuracy");
                              });
        const int seconds = accuracy ? 1200 : 180;
        QTimer::singleShot(seconds * 1000, &app, [&window, seconds] {
            std::fprintf(stderr, "ssmlens: no result within %d s (%s)\n", seconds, qPrintable(window.lastError()));
            QApplication::exit(2);
        });
        // A model that does not load, or a prompt that does not run, ends the run with the reason.
        QObject::connect(&window, &ssmlens::MainWindow::failed, &app, [](const QString& message) {
            std::fprintf(stderr, "ssmlens: %s\n", qPrintable(message));
            QApplication::exit(1);
        });
    }
    const int code = app.exec();
    if (options.scripted()) window.markSaved();  // no save prompt on the way out of a scripted run
    return code;
}
