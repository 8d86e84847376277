// ssmlens: the desktop app. Usage: ssmlens [--model DIR] [--prompt TEXT] [--keep-ratio Q] [--show-attention]
//                                          [--screenshot FILE.png] [--export-heatmap FILE]
// The last two run the app, wait for the first result (or accuracy with --run-accuracy), save, and quit.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

#include "app/gui/AppSettings.h"
#include "app/gui/AttentionLatencyBenchmark.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/LatencyBenchmark.h"
#include "app/gui/MainWindow.h"
#include "app/gui/SamplePrompts.h"
#include "widgets/ScheduleEditor.h"
#include "core/runtime/DemoModel.h"
#include "core/runtime/HeapPolicy.h"
#include "core/runtime/KernelPaths.h"
#include "core/runtime/ThreadWaitPolicy.h"

int main(int argc, char** argv) {
    ssmlens::ensurePassiveThreadWaiting(argv);
    ssmlens::keepTensorMemoryInHeap();
    // The same environment switches as ssmlens-cli (core/runtime/KernelPaths.h), before the worker thread starts.
    ssmlens::setDefaultKernelPaths(ssmlens::kernelPathsFromEnvironment());
    QApplication app(argc, argv);
    QApplication::setApplicationName("SSM Lens");
    QApplication::setOrganizationName("SSM Lens");
    QApplication::setWindowIcon(QIcon(":/icons/ssmlens.svg"));
    QGuiApplication::setDesktopFileName("ssmlens");  // matches packaging/ssmlens.desktop
    // The language: SSMLENS_LANGUAGE (e.g. "de", "zh_CN", "en") if set, else the one chosen in the settings,
    // else the system's.
    ssmlens::AppSettings settings;
    const QByteArray language = qgetenv("SSMLENS_LANGUAGE");
    const QLocale locale = language.isEmpty() ? ssmlens::AppSettings::localeFor(settings.language())
                                              : QLocale(QString::fromUtf8(language));
    QTranslator translator;
    if (translator.load(locale, "ssmlens", "_", ":/i18n")) QApplication::installTranslator(&translator);

    QCommandLineParser cli;
    cli.setApplicationDescription(QApplication::tr("SSM Lens: see what token reduction does inside a Mamba-2 model"));
    cli.addHelpOption();
    QCommandLineOption model("model", QApplication::tr("Checkpoint folder to open"), "dir");
    QCommandLineOption prompt("prompt", QApplication::tr("Prompt to start with"), "text");
    QCommandLineOption keep("keep-ratio", QApplication::tr("Keep ratio at every anchor"), "q");
    QCommandLineOption method("method", QApplication::tr("Reduction method to start with (as ssmlens-cli --method)"), "name");
    QCommandLineOption shot("screenshot", QApplication::tr("Save a screenshot of the window after the first result, then quit"), "png");
    QCommandLineOption exportMap("export-heatmap", QApplication::tr("Export the heatmap after the first result, then quit"), "file");
    QCommandLineOption accuracy("run-accuracy", QApplication::tr("Run the accuracy check on the first bundled sample after the first result"));
    QCommandLineOption latency("benchmark-latency",
                               QApplication::tr("Measure N slider moves (change to redrawn views), print JSON, quit"), "n");
    QCommandLineOption attentionLatency(
        "benchmark-attention", QApplication::tr("Measure N layer changes in the Attention view, print JSON, quit"), "n");
    QCommandLineOption showAttention("show-attention", QApplication::tr("Start with the Attention view in front"));
    QCommandLineOption layer("layer", QApplication::tr("Select this layer in every view after the first result"), "l");
    cli.addOptions({model, prompt, keep, method, shot, exportMap, accuracy, latency, attentionLatency, showAttention, layer});
    cli.process(app);

    ssmlens::MainWindow window(nullptr, &settings);
    window.show();
    const bool scripted = cli.isSet(latency) || cli.isSet(attentionLatency) || cli.isSet(shot) || cli.isSet(exportMap);
    if (cli.isSet(showAttention)) window.showAttentionTab();
    if (cli.isSet(keep)) window.setKeepRatio(cli.value(keep).toDouble());
    if (cli.isSet(method)) {
        try {
            window.scheduleEditor()->setMethod(ssmlens::parseMethodName(cli.value(method).toStdString()));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ssmlens: --method: %s\n", e.what());
            return 2;
        }
    }
    window.setPrompt(cli.isSet(prompt) ? cli.value(prompt) : ssmlens::samplePrompts().front().text);
    const QString folder = cli.isSet(model) ? cli.value(model) : QString::fromStdString(ssmlens::defaultModelDir());
    if (!folder.isEmpty()) window.openModel(folder);
    // After a crash, offer the autosaved session (not in scripted runs, which must not wait for a click).
    if (!scripted) QTimer::singleShot(0, &window, &ssmlens::MainWindow::offerCrashRecovery);

    if (cli.isSet(latency)) {
        auto* bench = new ssmlens::LatencyBenchmark(&window, cli.value(latency).toInt(), &app);
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, bench, &ssmlens::LatencyBenchmark::start,
                         Qt::SingleShotConnection);
    }
    if (cli.isSet(layer))
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window,
                         [&window, l = cli.value(layer).toInt()] { window.selectLayerAndToken(l, -1); },
                         Qt::SingleShotConnection);
    if (cli.isSet(attentionLatency)) {
        auto* bench = new ssmlens::AttentionLatencyBenchmark(&window, cli.value(attentionLatency).toInt(), &app);
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, bench, &ssmlens::AttentionLatencyBenchmark::start,
                         Qt::SingleShotConnection);
    }
    if (cli.isSet(accuracy))
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window, &ssmlens::MainWindow::runAccuracyCheck,
                         Qt::SingleShotConnection);
    if (cli.isSet(shot) || cli.isSet(exportMap)) {
        void (ssmlens::MainWindow::*readySignal)() = cli.isSet(accuracy) ? &ssmlens::MainWindow::accuracyShown : &ssmlens::MainWindow::resultShown;
        auto save = [&] {
            QTimer::singleShot(300, &app, [&] {
                int code = 0;
                if (cli.isSet(shot) && !window.grab().save(cli.value(shot))) code = 1;
                QString error;
                if (cli.isSet(exportMap) && !window.exportHeatmap(cli.value(exportMap), 1600, 1000, &error)) {
                    std::fprintf(stderr, "%s\n", qPrintable(error));
                    code = 1;
                }
                QApplication::exit(code);
            });
        };
        // With the Attention view in front, the picture waits for its matrices as well.
        if (cli.isSet(showAttention))
            QObject::connect(window.attentionPanel(), &ssmlens::AttentionPanel::layerShown, &app, save,
                             Qt::SingleShotConnection);
        else
            QObject::connect(&window, readySignal, &app, save, Qt::SingleShotConnection);
        QTimer::singleShot(120000, &app, [&] {
            std::fprintf(stderr, "ssmlens: no result within 120 s (%s)\n", qPrintable(window.lastError()));
            QApplication::exit(2);
        });
    }
    return app.exec();
}
