// ssmlens: the desktop app. Usage: ssmlens [--model DIR] [--prompt TEXT] [--keep-ratio Q]
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
#include "app/gui/LatencyBenchmark.h"
#include "app/gui/MainWindow.h"
#include "app/gui/SamplePrompts.h"
#include "core/runtime/DemoModel.h"
#include "core/runtime/HeapPolicy.h"
#include "core/runtime/ThreadWaitPolicy.h"

int main(int argc, char** argv) {
    ssmlens::ensurePassiveThreadWaiting(argv);
    ssmlens::keepTensorMemoryInHeap();
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
    QCommandLineOption shot("screenshot", QApplication::tr("Save a screenshot of the window after the first result, then quit"), "png");
    QCommandLineOption exportMap("export-heatmap", QApplication::tr("Export the heatmap after the first result, then quit"), "file");
    QCommandLineOption accuracy("run-accuracy", QApplication::tr("Run the accuracy check on the first bundled sample after the first result"));
    QCommandLineOption latency("benchmark-latency",
                               QApplication::tr("Measure N slider moves (change to redrawn views), print JSON, quit"), "n");
    cli.addOptions({model, prompt, keep, shot, exportMap, accuracy, latency});
    cli.process(app);

    ssmlens::MainWindow window(nullptr, &settings);
    window.show();
    const bool scripted = cli.isSet(latency) || cli.isSet(shot) || cli.isSet(exportMap);
    if (cli.isSet(keep)) window.setKeepRatio(cli.value(keep).toDouble());
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
    if (cli.isSet(accuracy))
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window, &ssmlens::MainWindow::runAccuracyCheck,
                         Qt::SingleShotConnection);
    if (cli.isSet(shot) || cli.isSet(exportMap)) {
        void (ssmlens::MainWindow::*readySignal)() = cli.isSet(accuracy) ? &ssmlens::MainWindow::accuracyShown : &ssmlens::MainWindow::resultShown;
        QObject::connect(&window, readySignal, &app, [&] {
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
        });
        QTimer::singleShot(120000, &app, [&] {
            std::fprintf(stderr, "ssmlens: no result within 120 s (%s)\n", qPrintable(window.lastError()));
            QApplication::exit(2);
        });
    }
    return app.exec();
}
